-- A group as it stands (deadlines that passed are applied first): ARGV[1] group.
useGroup(ARGV[1])
settle()
local due = finish()
local l = redis.call('HMGET', kLeader(), 'candidate', 'token', 'since', 'target')
local result = { group = group, candidates = {}, keys = {}, due = due }
if l[1] then result.leader = { candidateId = l[1], fencingToken = tonumber(l[2]), since = tonumber(l[3]), handingOverTo = l[4] or nil } end
local seniority = redis.call('ZRANGE', kSeniority(), 0, -1, 'WITHSCORES')
for i = 1, #seniority, 2 do
  local c = seniority[i]
  local h = redis.call('HMGET', kCandidate(c), 'ttl', 'metadata')
  local declared = redis.call('SMEMBERS', kDeclared(c))
  table.sort(declared)
  result.candidates[#result.candidates + 1] = {
    candidateId = c,
    joinedAt = tonumber(seniority[i + 1]),
    leaseExpiresAt = tonumber(redis.call('ZSCORE', kCandidates(), c)),
    ttlMillis = tonumber(h[1]),
    metadata = h[2],
    keys = declared,
    priority = priorityOf(c),
  }
end
for _, k in ipairs(redis.call('SMEMBERS', kKeys())) do
  local r = redis.call('HMGET', kKey(k), 'owner', 'token', 'since', 'target', 'releaseAt')
  local entry = {}
  if r[1] then
    entry.owner = r[1]
    entry.fencingToken = tonumber(r[2])
    entry.since = tonumber(r[3])
  end
  if r[4] then
    entry.handingOverTo = r[4]
    entry.releaseAt = tonumber(r[5])
  end
  result.keys[k] = entry
end
result.now = now
return cjson.encode(result)
