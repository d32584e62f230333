--[[
  Extends the leader lease only when the caller still holds it (compare and renew). A lease that expired and
  was taken by another instance is never renewed.

  KEYS[1]  the lease key "<prefix>:corral:leader"

  ARGV[1]  instance id of the caller
  ARGV[2]  lease TTL (ms)

  Output: {1} renewed; {0, holder} the caller does not hold it (holder "" when nobody does)
]]
local key = KEYS[1]
local holder = redis.call("GET", key)
if holder == ARGV[1] then
  redis.call("PEXPIRE", key, tonumber(ARGV[2]))
  return {1}
end
return {0, holder or ""}
