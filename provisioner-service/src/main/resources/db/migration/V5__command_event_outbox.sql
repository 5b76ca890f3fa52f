-- command_event becomes the provisioner's outbox: an event commits in the same transaction as the state it
-- announces, and the event relay (io.maestro.support.relay) publishes it to maestro.provisioning.events, marking
-- it published once Kafka acknowledged it. Events stored before were published as they were written.
alter table command_event add column published_at timestamptz;
update command_event set published_at = now();
create index command_event_unpublished on command_event (seq) where published_at is null;

-- Wakes the relay the moment a transaction that wrote events commits (it LISTENs on maestro_provisioner_outbox).
create function command_event_outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('maestro_provisioner_outbox', '');
    return null;
end
$$;

create trigger command_event_outbox_notify after insert on command_event
    for each statement execute function command_event_outbox_notify();
