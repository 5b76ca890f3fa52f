-- Shared by every registry script (prepended to each). Keys of a service <svc> in shard k, under prefix P (every key a
-- script touches carries the shard's hash tag {k}: one Redis Cluster slot per script; RegistryKeys):
--   P{k}<svc>:instance:<id>  hash {endpoint, attributes, registeredAt, ttl, token(sha-256), state, and with checks:
--                            checks (JSON), checkStatus (JSON array, one per check: unknown|passing|critical), health,
--                            healthOutput, criticalSince, deregisterAfter (ms, 0 never)} with the instance's TTL
--   P{k}<svc>:instances      sorted set instanceId -> expiresAt (ms, Redis server time): the per-service index
--   P{k}<svc>:revision       per-service revision counter, only ever incremented
--   P{k}<svc>:log            stream of the service's changes, entry id "<revision>-0", fields as record_change writes them
--   P{k}_changes             stream of the shard's changes, in order: what the shard's relay copies to Kafka
--   P{k}_services            set of every service name of the shard ever registered
--   P{k}_due                 sorted set service -> earliest expiresAt among its instances (for the sweeper)
--   P{k}_epoch               id of the shard's data set
--   P{k}_checks:<c>          set of <svc>/<id> with checks in check shard c (HealthCheckRunner; stale members dropped
--                            when read)

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function num(n)
  return string.format('%.0f', n)
end

-- The id of this registry's data set (created when missing): event ids derive from it (in Java, MembershipChanges).
local function data_set_epoch(epoch_key)
  local epoch = redis.call('GET', epoch_key)
  if not epoch then
    epoch = redis.sha1hex(table.concat(redis.call('TIME'), '.') .. epoch_key)
    redis.call('SET', epoch_key, epoch, 'NX')
    epoch = redis.call('GET', epoch_key)
  end
  return epoch
end

-- The whole instance list of a service, sorted by instance id, as the JSON array of
-- [instanceId, endpoint, attributes (the stored JSON object, as a string), registeredAt ms, expiresAt ms, health,
-- healthOutput, state] ('' for none) that Java reads (MembershipChanges.instances); tokens never leave Redis.
local function instances_json(index_key, instance_prefix)
  local entries = redis.call('ZRANGE', index_key, 0, -1, 'WITHSCORES')
  local ids, expires = {}, {}
  for i = 1, #entries, 2 do
    ids[#ids + 1] = entries[i]
    expires[entries[i]] = tonumber(entries[i + 1])
  end
  table.sort(ids)
  local list = {}
  for _, id in ipairs(ids) do
    local f = redis.call('HMGET', instance_prefix .. id, 'endpoint', 'attributes', 'registeredAt', 'health', 'healthOutput', 'state')
    if f[1] then
      list[#list + 1] = {id, f[1], f[2], tonumber(f[3]), expires[id], f[4] or '', f[5] or '', f[6] or 'active'}
    end
  end
  if #list == 0 then
    return '[]'
  end
  return cjson.encode(list)
end

-- Bumps the revision and records the change, as fields (the event is built in Java, MembershipChanges), in the
-- service's log (entry id "<revision>-0": what watches resume from) and in the registry's change stream, which
-- the relay copies to Kafka. actor: the subject of the token of the request that made the change, '' when the
-- registry made it on its own (an expiry).
local function record_change(svc, revision_key, log_key, epoch_key, change_type, id, instances, now, log_max, actor,
                             changes_key, changes_max)
  local revision = redis.call('INCR', revision_key)
  local fields = {'service', svc, 'revision', num(revision), 'type', change_type, 'instance', id,
    'instances', instances, 'actor', actor or '', 'ms', num(now), 'epoch', data_set_epoch(epoch_key)}
  redis.call('XADD', log_key, 'MAXLEN', '~', log_max, num(revision) .. '-0', unpack(fields))
  redis.call('XADD', changes_key, 'MAXLEN', '~', changes_max, '*', unpack(fields))
  return revision
end

-- Keeps P{k}_due pointing at the earliest deadline of the service (or drops the service when it has none).
local function update_due(index_key, due_key, svc)
  local first = redis.call('ZRANGE', index_key, 0, 0, 'WITHSCORES')
  if #first > 0 then
    redis.call('ZADD', due_key, first[2], svc)
  else
    redis.call('ZREM', due_key, svc)
  end
end

local function current_revision(revision_key)
  return tonumber(redis.call('GET', revision_key) or '0')
end

-- Removes an instance and records why (DEREGISTERED by its owner or after its checks failed too long).
local function remove_instance(svc, id, instance_key, index_key, due_key, revision_key, log_key, epoch_key, instance_prefix,
                               now, log_max, actor, changes_key, changes_max)
  redis.call('DEL', instance_key)
  redis.call('ZREM', index_key, id)
  update_due(index_key, due_key, svc)
  return record_change(svc, revision_key, log_key, epoch_key, 'DEREGISTERED', id, instances_json(index_key, instance_prefix),
    now, log_max, actor, changes_key, changes_max)
end
