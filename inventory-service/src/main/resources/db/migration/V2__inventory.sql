-- The inventory: generic entities with typed attributes (clusto's model), every invariant the issue names
-- enforced by a constraint so that no code path, replica or race can break it.

create table entity (
    id         uuid primary key,
    name       text not null unique,
    type       text not null,
    version    bigint not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index entity_type_name on entity (type, name);
-- Globs compile to LIKE; text_pattern_ops lets a prefix glob (web*) use the index.
create index entity_name_pattern on entity (name text_pattern_ops);

create table attribute (
    id           bigserial primary key,
    entity_id    uuid not null references entity (id) on delete cascade,
    key          text not null,
    subkey       text,
    number       integer,
    value_type   text not null check (value_type in ('string', 'integer', 'decimal', 'boolean', 'timestamp', 'reference')),
    -- canonical text of every value (a reference stores the target's name): equality, globs and ordering of strings
    text_value   text not null,
    number_value numeric,
    ref_id       uuid references entity (id) on delete restrict,
    check ((value_type in ('integer', 'decimal')) = (number_value is not null)),
    check ((value_type = 'reference') = (ref_id is not null))
);
create index attribute_entity_key on attribute (entity_id, key);
create index attribute_key_text on attribute (key, text_value);
create index attribute_key_number on attribute (key, number_value) where number_value is not null;
create index attribute_ref on attribute (ref_id) where ref_id is not null;

-- One parent per entity: the child is the primary key.
create table containment (
    child_id  uuid primary key references entity (id) on delete cascade,
    parent_id uuid not null references entity (id) on delete restrict,
    unit      integer,
    height    integer,
    check (child_id <> parent_id),
    check ((unit is null) = (height is null)),
    check (unit is null or (unit >= 1 and height >= 1))
);
create index containment_parent on containment (parent_id);

-- One row per occupied rack unit: the primary key makes two devices in one unit impossible.
create table rack_unit (
    rack_id  uuid not null,
    unit     integer not null,
    child_id uuid not null references containment (child_id) on delete cascade,
    primary key (rack_id, unit)
);
create index rack_unit_child on rack_unit (child_id);

create table connection (
    id         bigserial primary key,
    created_at timestamptz not null default now()
);
-- Both ends of a connection; the primary key puts a port in at most one connection.
create table connection_end (
    entity_id     uuid not null references entity (id) on delete cascade,
    port          text not null,
    connection_id bigint not null references connection (id) on delete cascade,
    primary key (entity_id, port)
);
create index connection_end_connection on connection_end (connection_id);

create table pool_member (
    pool_id   uuid not null references entity (id) on delete cascade,
    entity_id uuid not null references entity (id) on delete cascade,
    exclusive boolean not null,
    primary key (pool_id, entity_id)
);
create index pool_member_entity on pool_member (entity_id);
-- An entity is in at most one exclusive pool.
create unique index pool_member_one_exclusive on pool_member (entity_id) where exclusive;

-- Transactional outbox: written in the mutation's transaction, published by the relay, read by /history.
create table outbox (
    id           bigserial primary key,
    event_id     uuid not null unique,
    entity_id    uuid not null,
    entity_name  text not null,
    version      bigint not null,
    op           text not null check (op in ('CREATED', 'UPDATED', 'DELETED')),
    before       jsonb,
    after        jsonb,
    occurred_at  timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_unpublished on outbox (id) where published_at is null;
create index outbox_entity_name on outbox (entity_name, id);

create table allocation (
    idempotency_key text primary key,
    request         jsonb not null,
    result          jsonb not null,
    created_at      timestamptz not null default now()
);

create table ip_range (
    id         uuid primary key,
    name       text not null unique,
    cidr       cidr not null,
    created_at timestamptz not null default now()
);
-- Host addresses (/32, /128); the primary key hands an address out once per range.
create table ip_allocation (
    range_id   uuid not null references ip_range (id) on delete cascade,
    address    inet not null,
    entity_id  uuid not null references entity (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (range_id, address)
);
create index ip_allocation_entity on ip_allocation (entity_id);

-- The JSON of an entity as the API shows it and as the outbox records it (before/after).
create function entity_json(eid uuid) returns jsonb language sql stable as $$
    select jsonb_build_object(
        'id', e.id, 'name', e.name, 'type', e.type, 'version', e.version,
        'createdAt', to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'updatedAt', to_char(e.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'parent', (select p.name from containment c join entity p on p.id = c.parent_id where c.child_id = e.id),
        'pools', coalesce((select jsonb_agg(p.name order by p.name) from pool_member pm join entity p on p.id = pm.pool_id
                           where pm.entity_id = e.id), '[]'::jsonb),
        'connections', coalesce((select jsonb_agg(jsonb_build_object('port', mine.port, 'entity', o.name, 'remotePort', other.port)
                                                  order by mine.port)
                                 from connection_end mine
                                 join connection_end other on other.connection_id = mine.connection_id
                                      and (other.entity_id, other.port) <> (mine.entity_id, mine.port)
                                 join entity o on o.id = other.entity_id
                                 where mine.entity_id = e.id), '[]'::jsonb),
        'addresses', coalesce((select jsonb_agg(jsonb_build_object('range', r.name, 'address', host(ia.address)) order by ia.address)
                               from ip_allocation ia join ip_range r on r.id = ia.range_id where ia.entity_id = e.id), '[]'::jsonb),
        'attributes', coalesce((
            select jsonb_agg(jsonb_build_object(
                'key', a.key, 'subkey', a.subkey, 'number', a.number, 'type', a.value_type,
                'value', case a.value_type
                    when 'integer' then to_jsonb(a.number_value)
                    when 'decimal' then to_jsonb(a.number_value)
                    when 'boolean' then to_jsonb(a.text_value::boolean)
                    else to_jsonb(a.text_value) end) order by a.id)
            from attribute a where a.entity_id = e.id), '[]'::jsonb))
    from entity e where e.id = eid
$$;
