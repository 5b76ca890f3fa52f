-- RedisStreamLog.acknowledge. KEYS[1] lease, KEYS[2] cursor; ARGV[1] holder, ARGV[2] ttl ms, ARGV[3] new cursor.
-- Moves the cursor unless another holds the lease (a free lease is taken): 1, else 0.
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return 0
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
redis.call('SET', KEYS[2], ARGV[3])
return 1
