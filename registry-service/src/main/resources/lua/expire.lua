-- Remove an instance whose key is gone from the index: EXPIRED when its TTL ran out, DEREGISTERED when the
-- key was deleted behind the registry's back. Idempotent: a no-op when the index no longer lists it or the
-- instance is alive, so every replica may run it on every notification.
-- KEYS: 1 instance, 2 index, 3 revision, 4 log, 5 due, 6 epoch, 7 change stream
-- ARGV: 1 service, 2 instanceId, 3 log max length, 4 instance key prefix of the service, 5 change stream max length
-- No request caused it: the change's actor is null.
-- Returns {0} when nothing changed, else {1, revision}.
local deadline = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not deadline then
  return {0}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0}
end
local now = now_ms()
redis.call('ZREM', KEYS[2], ARGV[2])
update_due(KEYS[2], KEYS[5], ARGV[1])
local change = 'DEREGISTERED'
if tonumber(deadline) <= now then
  change = 'EXPIRED'
end
local revision = record_change(ARGV[1], KEYS[3], KEYS[4], KEYS[6], change, ARGV[2], instances_json(KEYS[2], ARGV[4]), now, ARGV[3], '', KEYS[7], ARGV[5])
return {1, revision}
