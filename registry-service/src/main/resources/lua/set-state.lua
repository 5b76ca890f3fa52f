-- Set an instance's state (active, draining, maintenance): its owner with its token, or an operator.
-- KEYS: 1 instance, 2 index, 3 revision, 4 log, 5 epoch, 6 change stream
-- ARGV: 1 service, 2 instanceId, 3 token hash ('' for an operator without the instance's token), 4 state,
--       5 log max length, 6 instance key prefix of the service, 7 actor, 8 change stream max length
-- Returns {404} when the instance is gone, {403} on a wrong token, else {200, revision} (a STATE_CHANGED when the state
-- changed, else the current revision).
local cur = redis.call('HMGET', KEYS[1], 'token', 'state')
if not cur[1] then
  return {404}
end
if ARGV[3] ~= '' and ARGV[3] ~= cur[1] then
  return {403}
end
if (cur[2] or 'active') == ARGV[4] then
  return {200, current_revision(KEYS[3])}
end
redis.call('HSET', KEYS[1], 'state', ARGV[4])
return {200, record_change(ARGV[1], KEYS[3], KEYS[4], KEYS[5], 'STATE_CHANGED', ARGV[2], instances_json(KEYS[2], ARGV[6]),
  now_ms(), ARGV[5], ARGV[7], KEYS[6], ARGV[8])}
