-- What the inventory knows about an entity type beyond its name (issue 20, PUT /v1/types/{type}). First: whether
-- entities of the type pass a connection through (patch panels), and how their ports pair: the port named
-- front_prefix || x is wired inside the entity to rear_prefix || x. The connection trace follows those pairs.
create table entity_type (
    name         text primary key,
    front_prefix text,
    rear_prefix  text,
    version      bigint not null default 1,
    updated_at   timestamptz not null default now(),
    check ((front_prefix is null) = (rear_prefix is null)),
    -- neither prefix may start the other, so a port name pairs one way only
    check (front_prefix is null or not (starts_with(front_prefix, rear_prefix) or starts_with(rear_prefix, front_prefix)))
);

-- The port wired inside an entity of type t to its port p: null when t passes nothing through or p is on neither side.
-- The one place of the pairing rule; the trace calls it once per connection it follows (a primary-key lookup).
create function paired_port(t text, p text) returns text language sql stable as $$
    select case when starts_with(p, front_prefix) then rear_prefix || substr(p, length(front_prefix) + 1)
                when starts_with(p, rear_prefix) then front_prefix || substr(p, length(rear_prefix) + 1) end
    from entity_type where name = t and front_prefix is not null
$$;
