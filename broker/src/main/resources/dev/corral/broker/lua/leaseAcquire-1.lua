--[[
  Takes the leader lease when nobody holds it (SET NX PX), or keeps it when the caller already holds it (a
  renewal whose reply was lost). Never takes a lease another instance holds.

  KEYS[1]  the lease key "<prefix>:corral:leader"

  ARGV[1]  instance id of the caller
  ARGV[2]  lease TTL (ms)

  Output: {1, holder, pttl} the caller holds the lease now; {0, holder, pttl} another instance holds it
]]
local key = KEYS[1]
local me = ARGV[1]
local ttl = tonumber(ARGV[2])

if redis.call("SET", key, me, "NX", "PX", ttl) then
  return {1, me, ttl}
end
local holder = redis.call("GET", key)
if holder == me then
  redis.call("PEXPIRE", key, ttl)
  return {1, me, ttl}
end
return {0, holder or "", redis.call("PTTL", key)}
