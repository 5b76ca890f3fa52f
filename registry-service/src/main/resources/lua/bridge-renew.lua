-- Keep the lease of the active bridge.
-- KEYS: 1 lease, 2 quiet-after
-- ARGV: 1 replica id, 2 lease ms, 3 delivery timeout ms
-- Returns 1 when renewed, 0 when the lease is no longer this replica's.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], num(now_ms() + tonumber(ARGV[2]) + tonumber(ARGV[3])))
return 1
