-- The current state of one service, read atomically. Read-only.
-- KEYS: 1 index, 2 revision
-- ARGV: 1 instance key prefix of the service
-- Returns {revision, instances JSON array}.
return {current_revision(KEYS[2]), instances_json(KEYS[1], ARGV[1])}
