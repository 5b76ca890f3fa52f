-- Resign: ARGV[4] candidate, [5] token hash. Leadership and keys pass on at once.
useGroup(ARGV[1])
settle()
local c = ARGV[4]
local denied = authorize(c, ARGV[5])
if denied then
  finish()
  return cjson.encode({ error = denied })
end
removeCandidate(c, 'RESIGNED')
return cjson.encode({ due = finish() })
