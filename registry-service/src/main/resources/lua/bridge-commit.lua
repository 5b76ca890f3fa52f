-- Record what Kafka acknowledged: per service the highest revision published, per partition the highest
-- offset those revisions cover. Fenced: only the lease holder may write. Values only ever grow.
-- KEYS: 1 lease, 2 published (hash service -> revision), 3 offsets (hash partition -> offset)
-- ARGV: 1 replica id, 2 number of services n, then n pairs service, revision, then pairs partition, offset
-- Returns 1 when recorded, 0 when this replica does not hold the lease.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
local n = tonumber(ARGV[2])
local i = 3
for _ = 1, n do
  local current = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '-1')
  if tonumber(ARGV[i + 1]) > current then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
  i = i + 2
end
while i < #ARGV do
  local current = tonumber(redis.call('HGET', KEYS[3], ARGV[i]) or '-1')
  if tonumber(ARGV[i + 1]) > current then
    redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  end
  i = i + 2
end
return 1
