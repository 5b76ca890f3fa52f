-- The checks of one check shard in one registry shard, for the replica that holds the check shard. Members whose
-- instance is gone or has no checks any more are dropped.
-- KEYS: 1 the check shard set
-- ARGV: 1 the registry shard's key prefix (P{k})
-- Returns a flat list: service, instanceId, checks JSON, checkStatus JSON, deregisterAfter ms, for each instance.
local found = {}
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local slash = string.find(member, '/', 1, true)
  local svc, id = string.sub(member, 1, slash - 1), string.sub(member, slash + 1)
  local f = redis.call('HMGET', ARGV[1] .. svc .. ':instance:' .. id, 'checks', 'checkStatus', 'deregisterAfter')
  if not f[1] or f[1] == '[]' then
    redis.call('SREM', KEYS[1], member)
  else
    found[#found + 1] = svc
    found[#found + 1] = id
    found[#found + 1] = f[1]
    found[#found + 1] = f[2] or '[]'
    found[#found + 1] = f[3] or '0'
  end
end
return found
