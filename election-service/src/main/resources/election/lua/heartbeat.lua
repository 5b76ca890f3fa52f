-- Heartbeat: ARGV[3] candidate, [4] token hash, [5..] keys the candidate confirms it let go of (handoffs).
useGroup(ARGV[1])
settle()
local c = ARGV[3]
local denied = authorize(c, ARGV[4])
if denied then
  finish()
  return cjson.encode({ error = denied })
end
local ttl = tonumber(redis.call('HGET', kCandidate(c), 'ttl'))
redis.call('ZADD', kCandidates(), now + ttl, c)
redis.call('SET', kLease(c), '', 'PX', ttl)
for i = 5, #ARGV do
  if redis.call('SISMEMBER', kOutgoing(c), ARGV[i]) == 1 then completeHandoff(ARGV[i]) end
end
return cjson.encode(view(c, finish()))
