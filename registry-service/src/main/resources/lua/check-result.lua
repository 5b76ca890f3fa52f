-- The result of one probe of one check of an instance, from the replica that holds the instance's check shard.
-- KEYS: 1 instance, 2 index, 3 revision, 4 log, 5 due, 6 epoch, 7 change stream
-- ARGV: 1 service, 2 instanceId, 3 the check's position (1-based), 4 passing|critical, 5 output (at most 4 KiB),
--       6 the checks JSON the runner probed, 7 log max length, 8 instance key prefix of the service,
--       9 change stream max length
-- The instance is critical while any check is not passing. A change of that is a CHECK_PASSING or CHECK_CRITICAL; an
-- instance critical for its deregisterAfter is deregistered (actor: none, the registry did it).
-- Returns {0} when the instance is gone or its checks were replaced since (the runner reloads), {1, revision or 0},
-- or {2, revision} when it was deregistered.
local cur = redis.call('HMGET', KEYS[1], 'checks', 'checkStatus', 'health', 'criticalSince', 'deregisterAfter', 'healthOutput')
if not cur[1] or cur[1] ~= ARGV[6] then
  return {0}
end
local statuses = cjson.decode(cur[2])
local position, status = tonumber(ARGV[3]), ARGV[4]
if position < 1 or position > #statuses then
  return {0}
end
statuses[position] = status
local health = 'passing'
for _, s in ipairs(statuses) do
  if s ~= 'passing' then
    health = 'critical'
  end
end
local now = now_ms()
local output = cur[6] or ''
if status == 'critical' then
  output = ARGV[5]
elseif health == 'passing' then
  output = ''
end
local since = cur[4] or ''
if health == 'critical' then
  if since == '' then
    since = num(now)
  end
else
  since = ''
end
redis.call('HSET', KEYS[1], 'checkStatus', cjson.encode(statuses), 'health', health, 'healthOutput', output, 'criticalSince', since)
local after = tonumber(cur[5] or '0')
if health == 'critical' and after > 0 and now - tonumber(since) >= after then
  local revision = remove_instance(ARGV[1], ARGV[2], KEYS[1], KEYS[2], KEYS[5], KEYS[3], KEYS[4], KEYS[6], ARGV[8], now,
    ARGV[7], '', KEYS[7], ARGV[9])
  return {2, revision}
end
if health ~= cur[3] then
  local change = health == 'passing' and 'CHECK_PASSING' or 'CHECK_CRITICAL'
  return {1, record_change(ARGV[1], KEYS[3], KEYS[4], KEYS[6], change, ARGV[2], instances_json(KEYS[2], ARGV[8]), now,
    ARGV[7], '', KEYS[7], ARGV[9])}
end
return {1, 0}
