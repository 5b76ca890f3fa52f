-- Sweep: applies the deadlines of every group whose earliest deadline has passed. ARGV[4] = most groups per run.
-- Returns how many groups it settled and the milliseconds until the next deadline of any group.
local limit = tonumber(ARGV[4])
local groups = redis.call('ZRANGEBYSCORE', K_DUE, '-inf', now, 'LIMIT', 0, limit)
for _, g in ipairs(groups) do
  useGroup(g)
  settle()
  finish()
end
local nextDue = redis.call('ZRANGE', K_DUE, 0, 0, 'WITHSCORES')
local result = { swept = #groups }
if nextDue[2] then result.next = tonumber(nextDue[2]) - now end
return cjson.encode(result)
