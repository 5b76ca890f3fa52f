-- Wakes the event relay the moment a transaction that wrote outbox rows commits (the relay LISTENs on
-- maestro_inventory_outbox; NOTIFY is delivered at commit, once per transaction), so it never polls.
create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('maestro_inventory_outbox', '');
    return null;
end
$$;

create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();
