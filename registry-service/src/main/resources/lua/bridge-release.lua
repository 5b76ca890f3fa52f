-- Hand the lease back after a clean stop (every record sent was acknowledged and committed): the next
-- bridge may start at once.
-- KEYS: 1 lease, 2 quiet-after
-- ARGV: 1 replica id
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], num(now_ms()))
return 1
