-- Resign: ARGV[3] candidate, [4] token hash. Leadership and keys pass on at once.
useGroup(ARGV[1])
settle()
local c = ARGV[3]
local denied = authorize(c, ARGV[4])
if denied then
  finish()
  return cjson.encode({ error = denied })
end
removeCandidate(c, 'RESIGNED')
return cjson.encode({ due = finish() })
