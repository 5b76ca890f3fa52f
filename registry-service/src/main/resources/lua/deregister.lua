-- Remove one instance at its owner's request.
-- KEYS: 1 instance, 2 index, 3 revision, 4 log, 5 due, 6 epoch, 7 change stream
-- ARGV: 1 service, 2 instanceId, 3 token hash, 4 log max length, 5 instance key prefix of the service,
--       6 actor (subject of the request's bearer token), 7 change stream max length
-- Returns {404} when the instance is gone, {403} on a wrong token, else {204, revision}.
local token = redis.call('HGET', KEYS[1], 'token')
if not token then
  return {404}
end
if token ~= ARGV[3] then
  return {403}
end
local revision = remove_instance(ARGV[1], ARGV[2], KEYS[1], KEYS[2], KEYS[5], KEYS[3], KEYS[4], KEYS[6], ARGV[5], now_ms(),
  ARGV[4], ARGV[6], KEYS[7], ARGV[7])
return {204, revision}
