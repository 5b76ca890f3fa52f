-- Effective attributes (issue 20; clusto's merge_container_attrs): an entity's own attributes, then those of its
-- pools (in pool name order), then those of its containers from the nearest outwards. A key (with its subkey) is
-- taken from the first of these that has it, with every value it has there: the server's own ntp hides the rack's,
-- the rack's hides the datacenter's. A pool comes before the containers: membership says what the entity is for,
-- containment only where it stands.
create function effective_attributes(eid uuid)
returns table (id bigint, rank bigint, source text, key text, subkey text, number integer, value_type text, text_value text, number_value numeric)
language sql stable as $$
    with recursive up(id, depth) as (
        select c.parent_id, 1 from containment c where c.child_id = eid
        union all
        select c.parent_id, up.depth + 1 from up join containment c on c.child_id = up.id where up.depth < 64
    ),
    sources(id, rank) as (
        select eid, 0::bigint
        union all
        select pm.pool_id, row_number() over (order by p.name) from pool_member pm join entity p on p.id = pm.pool_id where pm.entity_id = eid
        union all
        select up.id, 1000 + up.depth from up
    ),
    candidates as (
        select a.id, s.id as source_id, s.rank, a.key, a.subkey, a.number, a.value_type, a.text_value, a.number_value,
               min(s.rank) over (partition by a.key, a.subkey) as nearest
        from sources s join attribute a on a.entity_id = s.id
    )
    select c.id, c.rank, case when c.rank = 0 then null else source.name end, c.key, c.subkey, c.number, c.value_type, c.text_value,
           c.number_value
    from candidates c join entity source on source.id = c.source_id
    where c.rank = c.nearest
$$;

-- The effective attributes as entity_json writes attributes, each inherited one with "from": the entity it comes from.
create function effective_attributes_json(eid uuid) returns jsonb language sql stable as $$
    select coalesce(jsonb_agg(jsonb_build_object(
               'key', ea.key, 'subkey', ea.subkey, 'number', ea.number, 'type', ea.value_type,
               'value', case ea.value_type
                   when 'integer' then to_jsonb(ea.number_value)
                   when 'decimal' then to_jsonb(ea.number_value)
                   when 'boolean' then to_jsonb(ea.text_value::boolean)
                   else to_jsonb(ea.text_value) end,
               'from', ea.source) order by ea.rank, ea.id), '[]'::jsonb)
    from effective_attributes(eid) ea
$$;
