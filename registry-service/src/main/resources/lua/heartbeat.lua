-- Renew the TTL of one instance. Not a membership change: no revision, no log entry.
-- KEYS: 1 instance, 2 index, 3 due
-- ARGV: 1 service, 2 instanceId, 3 token hash
-- Returns {404} when the instance is gone, {403} on a wrong token, else {200, expiresAt, ttl ms}.
local current = redis.call('HMGET', KEYS[1], 'token', 'ttl')
if not current[1] then
  return {404}
end
if current[1] ~= ARGV[3] then
  return {403}
end
local now = now_ms()
local ttl = tonumber(current[2])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], now + ttl, ARGV[2])
update_due(KEYS[2], KEYS[3], ARGV[1])
return {200, now + ttl, ttl}
