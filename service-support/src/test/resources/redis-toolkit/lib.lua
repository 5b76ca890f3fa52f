-- test lib: what LuaScripts prepends to every script of this folder
local P = '__KEY_PREFIX__'
local LIMIT = '__LIMIT__'
