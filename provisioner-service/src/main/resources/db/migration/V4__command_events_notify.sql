-- Live watches of a command's events (GET /v1/commands/{id}/events) are woken by the database itself: each replica
-- LISTENs on this channel and reads the new events of the command named in the payload. No polling per client.
create function command_event_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('maestro_command_events', NEW.command_id);
    return NEW;
end
$$;

create trigger command_event_notify after insert on command_event
    for each row execute function command_event_notify();
