-- Heartbeat: ARGV[4] candidate, [5] token hash, [6..] keys the candidate confirms it let go of (handoffs), and
-- LEADER when it let go of the group's seat for a candidate of a higher priority.
useGroup(ARGV[1])
settle()
local c = ARGV[4]
local denied = authorize(c, ARGV[5])
if denied then
  finish()
  return cjson.encode({ error = denied })
end
local ttl = tonumber(redis.call('HGET', kCandidate(c), 'ttl'))
redis.call('ZADD', kCandidates(), now + ttl, c)
redis.call('SET', kLease(c), '', 'PX', ttl)
for i = 6, #ARGV do
  if ARGV[i] == LEADER then
    if redis.call('HGET', kLeader(), 'candidate') == c then completeLeaderHandoff() end
  elseif redis.call('SISMEMBER', kOutgoing(c), ARGV[i]) == 1 then
    completeHandoff(ARGV[i])
  end
end
return cjson.encode(view(c, finish()))
