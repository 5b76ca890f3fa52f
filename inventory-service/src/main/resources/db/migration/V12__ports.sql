-- Port templates (issue 20, PUT /v1/types/{type} "ports"): a type may declare the ports of its entities, as given
-- (["[1-48]", "mgmt0"]) and expanded (port_names). An entity of such a type gets them when it is created or given the
-- type, and keeps them; from then on it is cabled on its declared ports only. An entity without declared ports is
-- cabled on any port (a port then exists as the end of a cable, as before).
alter table entity_type add column ports jsonb;
alter table entity_type add column port_names text[];

create table port (
    entity_id uuid not null references entity (id) on delete cascade,
    name      text not null,
    primary key (entity_id, name)
);

-- Gives the entities ids the ports their types declare, and declares the ports they are cabled on already (so a
-- cable made before the type declared ports stays valid). A port once declared stays. The one place ports are made:
-- the triggers below (creation, a change of type) and a change of a type's ports (EntityTypes) call it. Answers how
-- many ports it declared.
create function declare_ports(ids uuid[]) returns bigint language sql volatile as $$
    with added as (
    insert into port (entity_id, name)
    select e.id, p.name
    from entity e join entity_type t on t.name = e.type and t.port_names is not null
    cross join lateral (select unnest(t.port_names) union select ce.port from connection_end ce where ce.entity_id = e.id) p(name)
    where e.id = any(ids)
    on conflict do nothing
    returning 1)
    select count(*) from added
$$;

-- Each waits for a definition of its entities' types under way, so that an entity created or retyped while its type
-- gets ports gets them: the definition gives them to the entities it sees, this to the others. The definition holds
-- the advisory transaction lock (19797, hashtext(type)) (EntityTypes.define), these share it: a lock, not a row's,
-- because the type's row may not exist yet. Each statement of a PL/pgSQL function sees what committed before it began.
create function entity_created_ports() returns trigger language plpgsql as $$
begin
    perform pg_advisory_xact_lock_shared(19797, hashtext(t)) from (select distinct type from created order by 1) types(t);
    perform declare_ports(array(select c.id from created c join entity_type t on t.name = c.type and t.port_names is not null));
    return null;
end
$$;
create trigger entity_created_ports after insert on entity referencing new table as created
    for each statement execute function entity_created_ports();

create function entity_retyped_ports() returns trigger language plpgsql as $$
begin
    perform pg_advisory_xact_lock_shared(19797, hashtext(new.type));
    perform declare_ports(array[new.id]);
    return null;
end
$$;
create trigger entity_retyped_ports after update of type on entity
    for each row when (new.type is distinct from old.type) execute function entity_retyped_ports();

-- The one rule of cabling: port ports[i] of entity ids[i] may not be cabled when the entity has declared ports or its
-- type declares some, and the port is neither (a type's ports count before a definition has given them to its
-- existing entities: EntityTypes does so in a transaction of its own). Answers each such i, set-based: the trigger
-- below passes every end a statement inserts, ConnectionService the two of a cable first, to name the field.
create function undeclared_ports(ids uuid[], ports text[]) returns table (i bigint) language sql stable as $$
    select x.i from unnest(ids, ports) with ordinality x(id, port, i)
    join entity e on e.id = x.id left join entity_type t on t.name = e.type
    where (t.port_names is not null or exists (select 1 from port d where d.entity_id = x.id))
      and not coalesce(x.port = any(t.port_names), false)
      and not exists (select 1 from port d where d.entity_id = x.id and d.name = x.port)
$$;

-- The last line behind the services' own checks (ConnectionService, the import): SQLSTATE MA001, which PgErrors
-- answers as a 400. It shares the lock of a definition of the ends' types under way: a cable made meanwhile either
-- committed before the definition (which then declares its port) or is checked against the type's new ports.
create function connection_end_declared() returns trigger language plpgsql as $$
declare
    ids uuid[];
    ports text[];
    bad bigint;
begin
    perform pg_advisory_xact_lock_shared(19797, hashtext(t))
    from (select distinct e.type from added a join entity e on e.id = a.entity_id order by 1) types(t);
    select array_agg(entity_id), array_agg(port) into ids, ports from added;
    select u.i into bad from undeclared_ports(ids, ports) u order by u.i limit 1;
    if found then
        raise exception using errcode = 'MA001',
            message = format('''%s'' has no port ''%s'' (its ports are those its type declared)',
                             (select name from entity where id = ids[bad]), ports[bad]);
    end if;
    return null;
end
$$;
create trigger connection_end_declared after insert on connection_end referencing new table as added
    for each statement execute function connection_end_declared();
