-- Services whose revision is ahead of what the bridge published. Read-only.
-- KEYS: 1 services, 2 published
-- ARGV: 1 key prefix
-- Returns a flat list service, published revision, service, ...
local out = {}
for _, svc in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local revision = current_revision(ARGV[1] .. svc .. ':revision')
  local published = tonumber(redis.call('HGET', KEYS[2], svc) or '0')
  if revision > published then
    out[#out + 1] = svc
    out[#out + 1] = published
  end
end
return out
