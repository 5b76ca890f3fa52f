-- RedisLease.hold. KEYS[1] lease; ARGV[1] holder, ARGV[2] ttl ms.
-- Renews the lease of its holder or takes a free one: 1, else 0.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
