-- Withdraw interest in a key: ARGV[4] candidate, [5] token hash, [6] key. A held key passes on at once.
useGroup(ARGV[1])
settle()
local c, k = ARGV[4], ARGV[6]
local denied = authorize(c, ARGV[5])
if denied then
  finish()
  return cjson.encode({ error = denied })
end
withdraw(c, k, 'RESIGNED')
return cjson.encode(view(c, finish()))
