-- Typed schemas per entity type (issue 20, PUT /v1/types/{type} "attributes"): for each attribute key, the rules its
-- values keep on entities of the type: {"type", "required", "pattern", "choices", "min", "max", "unique"}, each optional.
alter table entity_type add column attributes jsonb;

-- The rules broken by the entities ids (those of types with rules), one row per broken rule; conflict marks a
-- unique value another entity of the type holds. The one place of the rules: every mutation calls it before its
-- outbox row (EntityStore, with lock), a type's change for its entities (without).
-- With lock, the unique values are locked first: advisory transaction locks on one of 127 buckets of
-- hash(type, key, value) (few locks, however many values: the lock table is small), taken in order. The check that
-- follows is a statement of its own (volatile), so it sees what a transaction that held a lock before committed.
create function schema_violations(ids uuid[], lock boolean) returns table (entity text, key text, rule text, conflict boolean)
language plpgsql volatile as $$
begin
    if lock then
        perform pg_advisory_xact_lock(19796, b) from (
            select distinct (hashtextextended(e.type || '/' || a.key || '=' || a.text_value, 0) % 64)::int as b
            from entity e join entity_type t on t.name = e.type and t.attributes is not null
            join attribute a on a.entity_id = e.id and coalesce((t.attributes -> a.key ->> 'unique')::boolean, false)
            where e.id = any(ids) order by 1) buckets;
    end if;
    return query
    with r as (
        select e.id, e.name, e.type, k.key, k.value as rule
        from entity e join entity_type t on t.name = e.type and t.attributes is not null
        cross join lateral jsonb_each(t.attributes) k
        where e.id = any(ids))
    select r.name, r.key, 'is required (type ' || r.type || ')', false from r
    where coalesce((r.rule ->> 'required')::boolean, false)
      and not exists (select 1 from attribute a where a.entity_id = r.id and a.key = r.key)
    union all
    select r.name, r.key, v.rule, false
    from r join attribute a on a.entity_id = r.id and a.key = r.key
    cross join lateral (values
        (case when r.rule ? 'type' and a.value_type <> r.rule ->> 'type'
              then 'must be of type ' || (r.rule ->> 'type') || ', not ' || a.value_type end),
        (case when r.rule ? 'pattern' and a.text_value !~ ('^(?:' || (r.rule ->> 'pattern') || ')$')
              then 'must match ' || (r.rule ->> 'pattern') || ', not ''' || left(a.text_value, 100) || '''' end),
        (case when r.rule ? 'choices' and not (r.rule -> 'choices') ? a.text_value
              then 'must be one of ' || (select string_agg(c, ', ') from jsonb_array_elements_text(r.rule -> 'choices') c)
                   || ', not ''' || left(a.text_value, 100) || '''' end),
        (case when r.rule ? 'min' and a.number_value < (r.rule ->> 'min')::numeric
              then 'must be at least ' || (r.rule ->> 'min') || ', not ' || a.text_value end),
        (case when r.rule ? 'max' and a.number_value > (r.rule ->> 'max')::numeric
              then 'must be at most ' || (r.rule ->> 'max') || ', not ' || a.text_value end)) v(rule)
    where v.rule is not null
    union all
    select r.name, r.key, 'value ''' || left(a.text_value, 100) || ''' is taken by ''' || o.name || ''' (unique among entities of type ' || r.type || ')', true
    from r join attribute a on a.entity_id = r.id and a.key = r.key
    cross join lateral (select oe.name from attribute oa join entity oe on oe.id = oa.entity_id
                        where oa.key = r.key and oa.text_value = a.text_value and oe.type = r.type and oe.id <> r.id
                        order by oe.name limit 1) o
    where coalesce((r.rule ->> 'unique')::boolean, false);
end
$$;
