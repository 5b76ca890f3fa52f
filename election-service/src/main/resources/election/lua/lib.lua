-- Shared by every election script; ElectionStore prepends it to each transition script (service-support's
-- LuaScripts), so one EVALSHA is one atomic transition. Times are Redis server milliseconds (TIME): Redis >= 5 replicates scripts by
-- their effects, so reading TIME before writing is allowed and replicas see the same state.
--
-- KEYS[1] = the prefix of the group's shard (ElectionKeys.shardPrefix: election.key-prefix and the shard's hash tag), so
-- that every key a transition touches is in the shard's Redis Cluster slot.
-- ARGV[1] = group (ignored by sweep.lua), ARGV[2] = a fresh nonce: event ids are nonce.1, nonce.2, ...,
-- ARGV[3] = the actor: the subject of the bearer token of the request this transition serves ('' for none).
local S = KEYS[1]
local K_DUE = S .. '_due'          -- zset: group -> its earliest deadline (lease end or handoff), for the sweepers
local K_EVENTS = S .. '_events'    -- stream: the shard's LeadershipChanged, in transition order (outbox + watch feed)
local STREAM_MAXLEN = '__STREAM_MAXLEN__'

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local nonce = ARGV[2]
local seq = 0
-- Who caused the events being emitted (nil: the service on its own). settle() applies deadlines that passed, which
-- no one caused; only then does the request's own change begin, on behalf of the request's actor.
local requestActor = ARGV[3] ~= '' and ARGV[3] or nil
local actor = nil

local group, G
local changed = false              -- membership or declarations changed: balance keys before returning
local orphans, orphanList = {}, {} -- keys left without a holder -> previous holder ('' when none)
local orphanActors = {}            -- keys left without a holder -> who caused it (absent: no one)

local function useGroup(g)
  group = g
  G = S .. g .. ':'
  changed = false
  orphans, orphanList, orphanActors = {}, {}, {}
  actor = nil
end

-- Redis keys of the current group. Names match [a-z0-9][a-z0-9._-]*, so ':' separates unambiguously.
local function kCandidates() return G .. 'candidates' end          -- zset: candidate -> lease end (ms)
local function kSeniority() return G .. 'seniority' end            -- zset: candidate -> joined (ms); ties by id
local function kPriority() return G .. 'priority' end              -- zset: candidate -> priority (absent: 0)
local function kLeader() return G .. 'leader' end                  -- hash: candidate, token, since[, target, releaseAt]
local function kGroupToken() return G .. 'token' end               -- counter of group grants, never reset
local function kKeyTokens() return G .. 'key-tokens' end           -- hash: key -> counter of grants, never reset
local function kKeys() return G .. 'keys' end                      -- set: keys at least one candidate declared
local function kHandoffs() return G .. 'handoffs' end              -- zset: key (or LEADER) -> release time of a handoff
local LEADER = '@leader'           -- the group's seat among the handoffs (no key name has an '@')
local function kCandidate(c) return G .. 'candidate:' .. c end     -- hash: tokenHash, ttl, joined, metadata
local function kLease(c) return G .. 'lease:' .. c end             -- string with PX ttl: its expiry is notified
local function kDeclared(c) return G .. 'declared:' .. c end       -- set: keys c can serve
local function kOwned(c) return G .. 'owned:' .. c end             -- hash: key -> token, keys c holds
local function kOutgoing(c) return G .. 'outgoing:' .. c end       -- set: keys c holds but hands over
local function kIncoming(c) return G .. 'incoming:' .. c end       -- set: keys being handed over to c
local function kDeclarers(k) return G .. 'declarers:' .. k end     -- set: candidates that declared k
local function kKey(k) return G .. 'key:' .. k end                 -- hash: owner, token, since[, target, releaseAt]

local function emit(key, leader, previous, token, reason)
  seq = seq + 1
  redis.call('XADD', K_EVENTS, 'MAXLEN', '~', STREAM_MAXLEN, '*',
    'id', nonce .. '.' .. seq, 'at', now, 'group', group, 'key', key or '',
    'leader', leader or '', 'previous', previous or '', 'token', token, 'reason', reason, 'actor', actor or '')
end

-- Rendezvous (highest random weight) hashing: the same inputs give the same weight on every replica.
local function weight(c, k) return redis.sha1hex(c .. '/' .. k) end

local function priorityOf(c) return tonumber(redis.call('ZSCORE', kPriority(), c) or '0') end

-- Who should lead: the highest priority, and among equals the eldest (msc's seniority).
local function preferred()
  local best, bestP
  for _, c in ipairs(redis.call('ZRANGE', kSeniority(), 0, -1)) do
    local p = priorityOf(c)
    if not best or p > bestP then best, bestP = c, p end
  end
  return best, bestP
end

local function electLeader(previous)
  if redis.call('EXISTS', kLeader()) == 1 then return end
  local chosen = preferred()
  if not chosen then return end
  local token = redis.call('INCR', kGroupToken())
  redis.call('HSET', kLeader(), 'candidate', chosen, 'token', token, 'since', now)
  emit(nil, chosen, previous, token, 'ELECTED')
end

local function cancelLeaderHandoff()
  redis.call('HDEL', kLeader(), 'target', 'releaseAt')
  redis.call('ZREM', kHandoffs(), LEADER)
end

-- The leader let go (or its lease as it stood ran out): the preferred candidate leads, with a higher token.
local function completeLeaderHandoff()
  local r = redis.call('HMGET', kLeader(), 'candidate', 'target')
  redis.call('ZREM', kHandoffs(), LEADER)
  if not r[2] then return end
  local token = redis.call('INCR', kGroupToken())
  redis.call('DEL', kLeader())
  redis.call('HSET', kLeader(), 'candidate', r[2], 'token', token, 'since', now)
  emit(nil, r[2], r[1], token, 'REBALANCED')
end

-- A candidate of a higher priority than the leader takes the seat by a graceful handover: the leader is told to
-- let go, and the seat passes once it confirms, or when its lease as it stands now runs out (heartbeats no longer
-- extend it for the seat). Never two leaders, and no gap beyond the confirmation.
local function balanceLeader()
  local l = redis.call('HMGET', kLeader(), 'candidate', 'target')
  if not l[1] then return end
  local best, bestP = preferred()
  if best == l[1] or bestP <= priorityOf(l[1]) then
    if l[2] then cancelLeaderHandoff() end
    return
  end
  if l[2] == best then return end
  local releaseAt = l[2] and tonumber(redis.call('HGET', kLeader(), 'releaseAt')) or tonumber(redis.call('ZSCORE', kCandidates(), l[1]))
  redis.call('HSET', kLeader(), 'target', best, 'releaseAt', releaseAt)
  redis.call('ZADD', kHandoffs(), releaseAt, LEADER)
end

local function cancelHandoff(k)
  local r = redis.call('HMGET', kKey(k), 'owner', 'target')
  if r[2] then
    redis.call('SREM', kOutgoing(r[1]), k)
    redis.call('SREM', kIncoming(r[2]), k)
    redis.call('HDEL', kKey(k), 'target', 'releaseAt')
    redis.call('ZREM', kHandoffs(), k)
  end
end

local function grantKey(k, c, reason, previous)
  local token = redis.call('HINCRBY', kKeyTokens(), k, 1)
  redis.call('HSET', kKey(k), 'owner', c, 'token', token, 'since', now)
  redis.call('HSET', kOwned(c), k, token)
  emit(k, c, previous, token, reason)
end

-- Removes k's holder and any handoff; returns the holder and its token (nil when k had none).
local function dropKey(k)
  local r = redis.call('HMGET', kKey(k), 'owner', 'token')
  if not r[1] then return nil end
  cancelHandoff(k)
  redis.call('HDEL', kOwned(r[1]), k)
  redis.call('DEL', kKey(k))
  return r[1], r[2]
end

local function addOrphan(k, previous)
  if orphans[k] == nil then
    orphans[k] = previous or ''
    orphanActors[k] = actor
    orphanList[#orphanList + 1] = k
  end
end

-- k's holder stops holding it (EXPIRED or RESIGNED); balance() elects the next holder among its declarers.
local function endKey(k, reason)
  local owner, token = dropKey(k)
  if owner then emit(k, nil, owner, token, reason) end
  if redis.call('SCARD', kDeclarers(k)) > 0 then addOrphan(k, owner) end
end

-- The holder keeps k until its lease as it stands now runs out (heartbeats no longer extend it for k) or
-- until it confirms it let go; only then does the target get k, with a higher token.
local function startHandoff(k, owner, target)
  local releaseAt = redis.call('ZSCORE', kCandidates(), owner)
  redis.call('HSET', kKey(k), 'target', target, 'releaseAt', releaseAt)
  redis.call('SADD', kOutgoing(owner), k)
  redis.call('SADD', kIncoming(target), k)
  redis.call('ZADD', kHandoffs(), releaseAt, k)
end

local function retarget(k, owner, oldTarget, target)
  if owner == target then
    cancelHandoff(k)
    return
  end
  redis.call('SREM', kIncoming(oldTarget), k)
  redis.call('SADD', kIncoming(target), k)
  redis.call('HSET', kKey(k), 'target', target)
end

local function completeHandoff(k)
  local r = redis.call('HMGET', kKey(k), 'owner', 'target')
  if not r[2] then return end
  dropKey(k)
  grantKey(k, r[2], 'REBALANCED', r[1])
end

local function declare(c, k)
  if redis.call('SADD', kDeclared(c), k) == 1 then
    redis.call('SADD', kDeclarers(k), c)
    redis.call('SADD', kKeys(), k)
    if redis.call('EXISTS', kKey(k)) == 0 then addOrphan(k, nil) end
    changed = true
  end
end

local function withdraw(c, k, reason)
  if redis.call('SREM', kDeclared(c), k) == 0 then return end
  changed = true
  redis.call('SREM', kDeclarers(k), c)
  local r = redis.call('HMGET', kKey(k), 'owner', 'target')
  if r[1] == c then
    endKey(k, reason)
  elseif r[2] == c then
    cancelHandoff(k)
  end
  if redis.call('SCARD', kDeclarers(k)) == 0 then redis.call('SREM', kKeys(), k) end
end

local function removeCandidate(c, reason)
  changed = true
  local l = redis.call('HMGET', kLeader(), 'candidate', 'token', 'target')
  local wasLeader = l[1] == c
  if wasLeader then
    redis.call('DEL', kLeader())
    redis.call('ZREM', kHandoffs(), LEADER)
    emit(nil, nil, c, l[2], reason)
  elseif l[3] == c then
    cancelLeaderHandoff()
  end
  for _, k in ipairs(redis.call('SMEMBERS', kIncoming(c))) do cancelHandoff(k) end
  for _, k in ipairs(redis.call('SMEMBERS', kDeclared(c))) do withdraw(c, k, reason) end
  redis.call('DEL', kCandidate(c), kLease(c), kDeclared(c), kOwned(c), kOutgoing(c), kIncoming(c))
  redis.call('ZREM', kCandidates(), c)
  redis.call('ZREM', kSeniority(), c)
  redis.call('ZREM', kPriority(), c)
  if wasLeader then electLeader(c) end
end

-- Applies every deadline that has passed: leases that ran out, then handoffs whose release time came.
local function settle()
  for _, c in ipairs(redis.call('ZRANGEBYSCORE', kCandidates(), '-inf', now)) do removeCandidate(c, 'EXPIRED') end
  for _, k in ipairs(redis.call('ZRANGEBYSCORE', kHandoffs(), '-inf', now)) do
    if k == LEADER then completeLeaderHandoff() else completeHandoff(k) end
  end
  actor = requestActor
end

local function loadOf(c)
  return redis.call('HLEN', kOwned(c)) - redis.call('SCARD', kOutgoing(c)) + redis.call('SCARD', kIncoming(c))
end

-- Key balancing: rendezvous hashing with bounded loads. q = floor(keys / candidates that declare keys).
-- 1. A key without holder goes to its highest-weight declarer holding fewer than q keys, else one holding q,
--    else the least loaded. So a leaving candidate's keys spread over the others and nothing else moves.
-- 2. A candidate below q takes keys (those it weighs highest) from candidates above q, by handoff. So a
--    joining candidate gets its share and only keys that move to it move.
-- Loads count a key being handed over for its target.
local function balance()
  local candidates = redis.call('ZRANGE', kSeniority(), 0, -1)
  local loads, n = {}, 0
  for _, c in ipairs(candidates) do
    if redis.call('SCARD', kDeclared(c)) > 0 then
      loads[c] = loadOf(c)
      n = n + 1
    end
  end
  if n == 0 then return end
  local q = math.floor(redis.call('SCARD', kKeys()) / n)
  table.sort(orphanList)
  for _, k in ipairs(orphanList) do
    if redis.call('EXISTS', kKey(k)) == 0 then
      local best, bestW, spare, spareW, least, leastL, leastW
      for _, c in ipairs(redis.call('SMEMBERS', kDeclarers(k))) do
        local w, l = weight(c, k), loads[c]
        if l < q and (not best or w > bestW) then best, bestW = c, w end
        if l <= q and (not spare or w > spareW) then spare, spareW = c, w end
        if not least or l < leastL or (l == leastL and w > leastW) then least, leastL, leastW = c, l, w end
      end
      local c = best or spare or least
      if c then
        local previous = orphans[k]
        if previous == '' then previous = nil end
        -- the key's new holder is elected on behalf of whoever left it without one (no one for an expiry)
        local acting = actor
        actor = orphanActors[k]
        grantKey(k, c, 'ELECTED', previous)
        actor = acting
        loads[c] = loads[c] + 1
      end
    end
  end
  for _, c in ipairs(candidates) do
    if loads[c] and loads[c] < q then
      local options = {}
      for _, k in ipairs(redis.call('SMEMBERS', kDeclared(c))) do
        local r = redis.call('HMGET', kKey(k), 'owner', 'target')
        local holder = r[2] or r[1]
        if holder and holder ~= c and loads[holder] > q then
          options[#options + 1] = { k, weight(c, k), r[1], r[2] }
        end
      end
      table.sort(options, function(a, b) return a[2] > b[2] end)
      for _, o in ipairs(options) do
        if loads[c] >= q then break end
        local k, owner, target = o[1], o[3], o[4]
        local holder = target or owner
        if loads[holder] > q then
          if target then retarget(k, owner, target, c) else startHandoff(k, owner, c) end
          loads[holder] = loads[holder] - 1
          loads[c] = loads[c] + 1
        end
      end
    end
  end
end

-- Ends a transition: balances keys if needed and files the group's next deadline for the sweepers.
-- Returns the milliseconds until that deadline (nil when the group has none).
local function finish()
  if changed then
    balance()
    balanceLeader()
  end
  local a = redis.call('ZRANGE', kCandidates(), 0, 0, 'WITHSCORES')
  local b = redis.call('ZRANGE', kHandoffs(), 0, 0, 'WITHSCORES')
  local d
  if a[2] then d = tonumber(a[2]) end
  if b[2] and (not d or tonumber(b[2]) < d) then d = tonumber(b[2]) end
  if d then
    redis.call('ZADD', K_DUE, d, group)
    return d - now
  end
  redis.call('ZREM', K_DUE, group)
  return nil
end

local function authorize(c, tokenHash)
  local h = redis.call('HGET', kCandidate(c), 'tokenHash')
  if not h then return 'not_found' end
  if h ~= tokenHash then return 'forbidden' end
  return nil
end

-- What a candidate learns from join, heartbeat and key changes.
local function view(c, due)
  local l = redis.call('HMGET', kLeader(), 'candidate', 'token', 'target')
  local releasingLeadership = l[1] == c and l[3] ~= false and l[3] ~= nil
  local expires = tonumber(redis.call('ZSCORE', kCandidates(), c))
  local owned = redis.call('HGETALL', kOwned(c))
  local keys = {}
  for i = 1, #owned, 2 do
    if redis.call('SISMEMBER', kOutgoing(c), owned[i]) == 0 then
      keys[#keys + 1] = { key = owned[i], fencingToken = tonumber(owned[i + 1]) }
    end
  end
  local result = {
    leader = l[1] == c and not releasingLeadership,
    releasingLeadership = releasingLeadership,
    keys = keys,
    releasing = redis.call('SMEMBERS', kOutgoing(c)),
    leaseRemainingMillis = expires - now,
    leaseExpiresAt = expires,
    ttlMillis = tonumber(redis.call('HGET', kCandidate(c), 'ttl')),
    due = due,
  }
  if l[1] == c and not releasingLeadership then result.fencingToken = tonumber(l[2]) end
  return result
end
