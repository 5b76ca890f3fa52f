-- Try to become the active bridge.
-- KEYS: 1 lease, 2 quiet-after, 3 bridge epoch
-- ARGV: 1 replica id, 2 lease ms, 3 delivery timeout ms
-- Returns {0} when another replica holds the lease, else {1, leadership epoch, ms to wait before publishing}:
-- a previous holder that vanished without releasing may still have records in flight until quiet-after.
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return {0}
end
local now = now_ms()
local quiet = tonumber(redis.call('GET', KEYS[2]) or '0')
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local epoch = redis.call('INCR', KEYS[3])
local wait = quiet - now
if wait < 0 then
  wait = 0
end
redis.call('SET', KEYS[2], num(math.max(quiet, now + tonumber(ARGV[2]) + tonumber(ARGV[3]))))
return {1, epoch, wait}
