-- Idempotent consumers: a Kafka record whose event id is here was applied already (at-least-once delivery).
create table processed_event (
    event_id     text primary key,
    topic        text not null,
    processed_at timestamptz not null default now()
);
