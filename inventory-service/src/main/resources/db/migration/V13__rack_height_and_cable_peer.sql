-- Two facts that several statements read, each written once.

-- A rack's height in units: its first numeric attribute 'height' (in the order written; a decimal is cut to its
-- whole units, a height beyond int is int's greatest), else fallback (inventory.default-rack-height). Placement
-- (ContainmentService), the rack elevation and the import read it.
create function rack_height(rack uuid, fallback int) returns int language sql stable as $$
    select coalesce((select least(trunc(a.number_value), 2147483647)::int from attribute a
                     where a.entity_id = rack and a.key = 'height' and a.number_value is not null order by a.id limit 1), fallback)
$$;

-- Each cabled port with the port at the other end of its cable (the planner inlines the view: the same plan as the
-- self-join written out).
create view cable_peer as
    select mine.entity_id, mine.port, mine.connection_id, other.entity_id as peer_id, other.port as peer_port
    from connection_end mine
    join connection_end other on other.connection_id = mine.connection_id and (other.entity_id, other.port) <> (mine.entity_id, mine.port);
