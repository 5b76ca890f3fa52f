-- entity_json for many entities in one call: one grouped scan per part (parent, pools, connections, addresses,
-- attributes) for all of them, instead of five subqueries per entity. The JSON is the same as entity_json's
-- (EntitiesJsonTest compares them). Used where a statement needs the JSON of many entities: a page of search
-- results, the outbox rows of a bulk creation or of an allocation.
create function entities_json(ids uuid[]) returns table (id uuid, json jsonb) language sql stable as $$
    with es as (select e.* from entity e where e.id = any(ids)),
    parents as (select c.child_id as id, p.name from containment c join entity p on p.id = c.parent_id where c.child_id = any(ids)),
    pools as (select pm.entity_id as id, jsonb_agg(p.name order by p.name) as list
              from pool_member pm join entity p on p.id = pm.pool_id where pm.entity_id = any(ids) group by pm.entity_id),
    conns as (select mine.entity_id as id,
                     jsonb_agg(jsonb_build_object('port', mine.port, 'entity', o.name, 'remotePort', other.port) order by mine.port) as list
              from connection_end mine
              join connection_end other on other.connection_id = mine.connection_id
                   and (other.entity_id, other.port) <> (mine.entity_id, mine.port)
              join entity o on o.id = other.entity_id
              where mine.entity_id = any(ids) group by mine.entity_id),
    addrs as (select ia.entity_id as id,
                     jsonb_agg(jsonb_build_object('range', r.name, 'address', host(ia.address)) order by ia.address) as list
              from ip_allocation ia join ip_range r on r.id = ia.range_id where ia.entity_id = any(ids) group by ia.entity_id),
    attrs as (select a.entity_id as id, jsonb_agg(jsonb_build_object(
                  'key', a.key, 'subkey', a.subkey, 'number', a.number, 'type', a.value_type,
                  'value', case a.value_type
                      when 'integer' then to_jsonb(a.number_value)
                      when 'decimal' then to_jsonb(a.number_value)
                      when 'boolean' then to_jsonb(a.text_value::boolean)
                      else to_jsonb(a.text_value) end) order by a.id) as list
              from attribute a where a.entity_id = any(ids) group by a.entity_id)
    select es.id, jsonb_build_object(
        'id', es.id, 'name', es.name, 'type', es.type, 'version', es.version,
        'createdAt', to_char(es.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'updatedAt', to_char(es.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'parent', parents.name,
        'pools', coalesce(pools.list, '[]'::jsonb),
        'connections', coalesce(conns.list, '[]'::jsonb),
        'addresses', coalesce(addrs.list, '[]'::jsonb),
        'attributes', coalesce(attrs.list, '[]'::jsonb))
    from es
    left join parents on parents.id = es.id
    left join pools on pools.id = es.id
    left join conns on conns.id = es.id
    left join addrs on addrs.id = es.id
    left join attrs on attrs.id = es.id
$$;
