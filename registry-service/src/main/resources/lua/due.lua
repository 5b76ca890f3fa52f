-- The instances whose deadline has passed, for the sweeper: a flat list service, instanceId, service, ...
-- KEYS: 1 due
-- ARGV: 1 key prefix, 2 limit
local now = now_ms()
local limit = tonumber(ARGV[2])
local out = {}
local services = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)
for _, svc in ipairs(services) do
  local ids = redis.call('ZRANGEBYSCORE', ARGV[1] .. svc .. ':instances', '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do
    out[#out + 1] = svc
    out[#out + 1] = id
  end
end
return out
