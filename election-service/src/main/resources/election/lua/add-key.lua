-- Declare interest in a key: ARGV[4] candidate, [5] token hash, [6] key, [7] most keys per candidate.
useGroup(ARGV[1])
settle()
local c, k = ARGV[4], ARGV[6]
local denied = authorize(c, ARGV[5])
if denied then
  finish()
  return cjson.encode({ error = denied })
end
if redis.call('SISMEMBER', kDeclared(c), k) == 0 and redis.call('SCARD', kDeclared(c)) >= tonumber(ARGV[7]) then
  finish()
  return cjson.encode({ error = 'too_many_keys' })
end
declare(c, k)
return cjson.encode(view(c, finish()))
