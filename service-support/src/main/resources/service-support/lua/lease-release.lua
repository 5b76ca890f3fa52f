-- RedisLease.release. KEYS[1] lease; ARGV[1] holder. Deletes the lease if this holder has it.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
