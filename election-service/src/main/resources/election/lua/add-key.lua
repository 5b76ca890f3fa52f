-- Declare interest in a key: ARGV[3] candidate, [4] token hash, [5] key, [6] most keys per candidate.
useGroup(ARGV[1])
settle()
local c, k = ARGV[3], ARGV[5]
local denied = authorize(c, ARGV[4])
if denied then
  finish()
  return cjson.encode({ error = denied })
end
if redis.call('SISMEMBER', kDeclared(c), k) == 0 and redis.call('SCARD', kDeclared(c)) >= tonumber(ARGV[6]) then
  finish()
  return cjson.encode({ error = 'too_many_keys' })
end
declare(c, k)
return cjson.encode(view(c, finish()))
