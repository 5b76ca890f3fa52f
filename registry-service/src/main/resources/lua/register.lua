-- Register or update one instance.
-- KEYS: 1 instance, 2 index, 3 revision, 4 log, 5 due, 6 services, 7 epoch, 8 change stream, 9 the instance's check shard set
-- ARGV: 1 service, 2 instanceId, 3 endpoint, 4 attributes (JSON object), 5 ttl ms, 6 new token hash,
--       7 presented token hash ('' when none), 8 log max length, 9 instance key prefix of the service,
--       10 actor (subject of the request's bearer token), 11 change stream max length, 12 checks (JSON array, '[]'
--       for none), 13 their status before any probe (JSON array of 'unknown'), 14 deregister after critical (ms, 0 never)
-- New or changed checks start critical ("not probed yet") until the runner's first probes; unchanged ones keep their status.
-- A new instance takes the presented token when there is one (the caller chose it, so a retry of a registration
-- whose answer was lost is an update with the same token), else the new one.
-- An existing, unexpired instance changes only with its token: returns {403} when none or a wrong one was
-- presented, else {status (201 new | 200 existing), revision, expiresAt,
-- tokenKept (1 when the presented token stays valid), changed (1 when a revision was recorded)}.
local svc, id, endpoint, attributes = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local ttl = tonumber(ARGV[5])
local presented = ARGV[7]
local now = now_ms()
local current = redis.call('HMGET', KEYS[1], 'endpoint', 'attributes', 'registeredAt', 'token', 'checks', 'deregisterAfter')
local checks = ARGV[12]
local function reset_checks()
  if checks == '[]' then
    redis.call('HSET', KEYS[1], 'checks', checks, 'checkStatus', '[]', 'health', '', 'healthOutput', '', 'criticalSince', '')
  else
    redis.call('HSET', KEYS[1], 'checks', checks, 'checkStatus', ARGV[13], 'health', 'critical',
      'healthOutput', 'not probed yet', 'criticalSince', num(now))
  end
end
local status, change, token_kept = 201, 'REGISTERED', 0
if current[1] then
  if presented == '' or presented ~= current[4] then
    return {403}
  end
  status, token_kept = 200, 1
  local token = current[4]
  local same_checks = (current[5] or '[]') == checks
  if current[1] == endpoint and current[2] == attributes and same_checks and (current[6] or '0') == ARGV[14] then
    change = nil
  else
    change = 'UPDATED'
  end
  redis.call('HSET', KEYS[1], 'endpoint', endpoint, 'attributes', attributes, 'ttl', ttl, 'token', token, 'deregisterAfter', ARGV[14])
  if not same_checks then
    reset_checks()
  end
else
  if redis.call('ZSCORE', KEYS[2], id) then
    -- Its key expired but the expiry was not processed yet: announce that first.
    redis.call('ZREM', KEYS[2], id)
    record_change(svc, KEYS[3], KEYS[4], KEYS[7], 'EXPIRED', id, instances_json(KEYS[2], ARGV[9]), now, ARGV[8], '', KEYS[8], ARGV[11])
  end
  if presented ~= '' then
    token_kept = 1
  end
  redis.call('HSET', KEYS[1], 'endpoint', endpoint, 'attributes', attributes, 'registeredAt', num(now), 'ttl', ttl,
    'token', presented ~= '' and presented or ARGV[6], 'state', 'active', 'deregisterAfter', ARGV[14])
  reset_checks()
end
if checks ~= '[]' then
  redis.call('SADD', KEYS[9], svc .. '/' .. id)
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], now + ttl, id)
redis.call('SADD', KEYS[6], svc)
update_due(KEYS[2], KEYS[5], svc)
local revision
if change then
  revision = record_change(svc, KEYS[3], KEYS[4], KEYS[7], change, id, instances_json(KEYS[2], ARGV[9]), now, ARGV[8], ARGV[10], KEYS[8], ARGV[11])
else
  revision = current_revision(KEYS[3])
end
return {status, revision, now + ttl, token_kept, change and 1 or 0}
