-- Shared by every registry script (prepended to each). Keys of a service <svc> under prefix P:
--   P<svc>:instance:<id>  hash {endpoint, attributes, registeredAt, ttl, token(sha-256)} with the instance's TTL
--   P<svc>:instances      sorted set instanceId -> expiresAt (ms, Redis server time): the per-service index
--   P<svc>:revision       per-service revision counter, only ever incremented
--   P<svc>:log            stream of changes, entry id "<revision>-0": event (ServiceMembershipChanged JSON), id, time, ms
--   P_services            set of every service name ever registered
--   P_due                 sorted set service -> earliest expiresAt among its instances (for the sweeper)
--   P_epoch               id of this data set

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function num(n)
  return string.format('%.0f', n)
end

-- ISO-8601 UTC with milliseconds, e.g. 2026-01-31T12:00:00.250Z (days to civil date: H. Hinnant's algorithm).
local function iso(ms)
  local s = math.floor(ms / 1000)
  local milli = ms - s * 1000
  local days = math.floor(s / 86400)
  local secs = s - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp + 3
  if mp >= 10 then
    m = mp - 9
  end
  if m <= 2 then
    y = y + 1
  end
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', y, m, d, math.floor(secs / 3600), math.floor((secs % 3600) / 60), secs % 60, milli)
end

-- The id of this registry's data set (created when missing): event ids derive from it.
local function data_set_epoch(epoch_key)
  local epoch = redis.call('GET', epoch_key)
  if not epoch then
    epoch = redis.sha1hex(table.concat(redis.call('TIME'), '.') .. epoch_key)
    redis.call('SET', epoch_key, epoch, 'NX')
    epoch = redis.call('GET', epoch_key)
  end
  return epoch
end

-- A name-based event id: SHA-1 of "<epoch>/<service>/<revision>" laid out as a version-5 UUID. The same change has
-- the same id on Kafka and in every watch.
local function event_id(epoch, svc, revision)
  local h = redis.sha1hex(epoch .. '/' .. svc .. '/' .. num(revision))
  local variant = string.format('%x', 8 + (tonumber(string.sub(h, 17, 17), 16) % 4))
  return string.sub(h, 1, 8) .. '-' .. string.sub(h, 9, 12) .. '-5' .. string.sub(h, 14, 16) .. '-' .. variant
    .. string.sub(h, 18, 20) .. '-' .. string.sub(h, 21, 32)
end

-- The whole instance list of a service as a JSON array sorted by instance id; tokens never leave Redis.
local function instances_json(index_key, instance_prefix)
  local entries = redis.call('ZRANGE', index_key, 0, -1, 'WITHSCORES')
  local ids, expires = {}, {}
  for i = 1, #entries, 2 do
    ids[#ids + 1] = entries[i]
    expires[entries[i]] = entries[i + 1]
  end
  table.sort(ids)
  local parts = {}
  for _, id in ipairs(ids) do
    local f = redis.call('HMGET', instance_prefix .. id, 'endpoint', 'attributes', 'registeredAt')
    if f[1] then
      parts[#parts + 1] = '{"instanceId":' .. cjson.encode(id) .. ',"endpoint":' .. cjson.encode(f[1])
        .. ',"attributes":' .. f[2] .. ',"registeredAt":"' .. iso(tonumber(f[3])) .. '","expiresAt":"'
        .. iso(tonumber(expires[id])) .. '"}'
    end
  end
  return '[' .. table.concat(parts, ',') .. ']'
end

-- Bumps the revision and appends the change to the service's log as the final ServiceMembershipChanged JSON
-- (with the whole list after it), which the bridge and the watches forward as is. actor: the subject of the token
-- of the request that made the change, '' when the registry made it on its own (an expiry): JSON null.
local function record_change(svc, revision_key, log_key, epoch_key, change_type, id, instances, now, log_max, actor)
  local revision = redis.call('INCR', revision_key)
  local eid = event_id(data_set_epoch(epoch_key), svc, revision)
  local time = iso(now)
  local event = '{"eventId":"' .. eid .. '","occurredAt":"' .. time .. '","service":' .. cjson.encode(svc)
    .. ',"revision":' .. num(revision) .. ',"change":{"type":"' .. change_type .. '","instanceId":' .. cjson.encode(id)
    .. '},"instances":' .. instances .. ',"actor":' .. ((actor and actor ~= '') and cjson.encode(actor) or 'null') .. '}'
  redis.call('XADD', log_key, 'MAXLEN', '~', log_max, num(revision) .. '-0',
    'event', event, 'id', eid, 'time', time, 'ms', num(now))
  return revision
end

-- Keeps P_due pointing at the earliest deadline of the service (or drops the service when it has none).
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
