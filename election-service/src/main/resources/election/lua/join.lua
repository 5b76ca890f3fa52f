-- Join: ARGV[3] candidate, [4] token hash, [5] ttl ms, [6] metadata JSON, [7..] declared keys.
useGroup(ARGV[1])
settle()
local c, ttl = ARGV[3], tonumber(ARGV[5])
if redis.call('EXISTS', kCandidate(c)) == 1 then
  finish()
  return cjson.encode({ error = 'conflict' })
end
redis.call('HSET', kCandidate(c), 'tokenHash', ARGV[4], 'ttl', ttl, 'joined', now, 'metadata', ARGV[6])
redis.call('ZADD', kCandidates(), now + ttl, c)
redis.call('ZADD', kSeniority(), now, c)
redis.call('SET', kLease(c), '', 'PX', ttl)
changed = true
for i = 7, #ARGV do declare(c, ARGV[i]) end
electLeader(nil)
return cjson.encode(view(c, finish()))
