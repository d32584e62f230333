--[[
  Gives the leader lease up only when the caller holds it (compare and release), so a successor can take it
  at once instead of waiting for it to expire.

  KEYS[1]  the lease key "<prefix>:corral:leader"

  ARGV[1]  instance id of the caller

  Output: {1} released; {0} the caller did not hold it (nothing changed)
]]
local key = KEYS[1]
if redis.call("GET", key) == ARGV[1] then
  redis.call("DEL", key)
  return {1}
end
return {0}
