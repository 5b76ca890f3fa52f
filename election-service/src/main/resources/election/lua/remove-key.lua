-- Withdraw interest in a key: ARGV[3] candidate, [4] token hash, [5] key. A held key passes on at once.
useGroup(ARGV[1])
settle()
local c, k = ARGV[3], ARGV[5]
local denied = authorize(c, ARGV[4])
if denied then
  finish()
  return cjson.encode({ error = denied })
end
withdraw(c, k, 'RESIGNED')
return cjson.encode(view(c, finish()))
