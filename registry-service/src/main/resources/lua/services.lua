-- Every known service with its live instance count and revision. Read-only.
-- KEYS: 1 services
-- ARGV: 1 key prefix
-- Returns a flat list service, instances, revision, service, ... sorted by service.
local now = now_ms()
local services = redis.call('SMEMBERS', KEYS[1])
table.sort(services)
local out = {}
for _, svc in ipairs(services) do
  out[#out + 1] = svc
  out[#out + 1] = redis.call('ZCOUNT', ARGV[1] .. svc .. ':instances', '(' .. num(now), '+inf')
  out[#out + 1] = current_revision(ARGV[1] .. svc .. ':revision')
end
return out
