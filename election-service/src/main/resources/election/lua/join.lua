-- Join: ARGV[4] candidate, [5] token hash, [6] ttl ms, [7] metadata JSON, [8] priority, [9..] declared keys.
useGroup(ARGV[1])
settle()
local c, ttl = ARGV[4], tonumber(ARGV[6])
if redis.call('EXISTS', kCandidate(c)) == 1 then
  finish()
  return cjson.encode({ error = 'conflict' })
end
redis.call('HSET', kCandidate(c), 'tokenHash', ARGV[5], 'ttl', ttl, 'joined', now, 'metadata', ARGV[7])
redis.call('ZADD', kCandidates(), now + ttl, c)
redis.call('ZADD', kSeniority(), now, c)
local priority = tonumber(ARGV[8]) or 0
if priority ~= 0 then redis.call('ZADD', kPriority(), priority, c) end
redis.call('SET', kLease(c), '', 'PX', ttl)
changed = true
for i = 9, #ARGV do declare(c, ARGV[i]) end
electLeader(nil)
return cjson.encode(view(c, finish()))
