-- Query plans at 100,000 entities and 1,000,000 attributes (issue 16; the README's Performance section says which
-- index serves each query shape and what EXPLAIN ANALYZE showed).

-- An attribute filter probed per entity (attr:role=r7 while walking entities in name order, not attr:...) reads the
-- value from the index: no heap fetch per probe. Nearly the size of the index it replaces (51 -> 54 MB there).
create index attribute_entity_key_values on attribute (entity_id, key) include (text_value, number_value);
drop index attribute_entity_key;
-- An attribute filter driven from its value (owner=team-7, cores>=32) finds the entity ids in the index alone.
create index attribute_key_text_entity on attribute (key, text_value) include (entity_id);
drop index attribute_key_text;
create index attribute_key_number_entity on attribute (key, number_value) include (entity_id) where number_value is not null;
drop index attribute_key_number;

-- Keys and values are correlated (role=r7 is 1 row in 20 of those with key role, not 1 in 200 of all rows): without
-- statistics on the pair the planner guessed 537 rows for 5,000 and hashed every entity. The MCV lists give it the
-- frequency of common (key, value) pairs; 500 entries hold the common values of a few dozen keys.
create statistics attribute_key_text_stats (mcv) on key, text_value from attribute;
alter statistics attribute_key_text_stats set statistics 500;
create statistics attribute_key_number_stats (mcv) on key, number_value from attribute;
alter statistics attribute_key_number_stats set statistics 500;
analyze attribute;

-- entities_json builds json (text), not jsonb: what it builds is sent as text or stored once into a jsonb column, and
-- json's builders only concatenate; PL/pgSQL keeps the statement's plan for the connection, where a SQL function
-- planned it again on every call. A page of 100 entities took 14-17 ms, now 8-9 ms. Same JSON as entity_json
-- (EntitiesJsonTest compares them as jsonb).
drop function entities_json(uuid[]);
create function entities_json(ids uuid[]) returns table (id uuid, json json) language plpgsql stable as $$
#variable_conflict use_column
begin
    return query
    with es as (select e.* from entity e where e.id = any(ids)),
    parents as (select c.child_id as id, p.name from containment c join entity p on p.id = c.parent_id where c.child_id = any(ids)),
    pools as (select pm.entity_id as id, json_agg(p.name order by p.name) as list
              from pool_member pm join entity p on p.id = pm.pool_id where pm.entity_id = any(ids) group by pm.entity_id),
    conns as (select mine.entity_id as id,
                     json_agg(json_build_object('port', mine.port, 'entity', o.name, 'remotePort', other.port) order by mine.port) as list
              from connection_end mine
              join connection_end other on other.connection_id = mine.connection_id
                   and (other.entity_id, other.port) <> (mine.entity_id, mine.port)
              join entity o on o.id = other.entity_id
              where mine.entity_id = any(ids) group by mine.entity_id),
    addrs as (select ia.entity_id as id,
                     json_agg(json_build_object('range', r.name, 'address', host(ia.address)) order by ia.address) as list
              from ip_allocation ia join ip_range r on r.id = ia.range_id where ia.entity_id = any(ids) group by ia.entity_id),
    attrs as (select a.entity_id as id, json_agg(json_build_object(
                  'key', a.key, 'subkey', a.subkey, 'number', a.number, 'type', a.value_type,
                  'value', case a.value_type
                      when 'integer' then to_json(a.number_value)
                      when 'decimal' then to_json(a.number_value)
                      when 'boolean' then to_json(a.text_value::boolean)
                      else to_json(a.text_value) end) order by a.id) as list
              from attribute a where a.entity_id = any(ids) group by a.entity_id)
    select es.id, json_build_object(
        'id', es.id, 'name', es.name, 'type', es.type, 'version', es.version,
        'createdAt', to_char(es.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'updatedAt', to_char(es.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'parent', parents.name,
        'pools', coalesce(pools.list, '[]'::json),
        'connections', coalesce(conns.list, '[]'::json),
        'addresses', coalesce(addrs.list, '[]'::json),
        'attributes', coalesce(attrs.list, '[]'::json))
    from es
    left join parents on parents.id = es.id
    left join pools on pools.id = es.id
    left join conns on conns.id = es.id
    left join addrs on addrs.id = es.id
    left join attrs on attrs.id = es.id;
end
$$;
