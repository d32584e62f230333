--[[
  Acknowledges a taken command with its outcome: it leaves the worker's command hash and its audit entry goes
  to the front of the worker's audit list (capped). Works after the worker deregistered (a shutdown acks
  last); the audit list then expires after the audit ttl.

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  worker id
  ARGV[2]  command id
  ARGV[3]  audit entry JSON
  ARGV[4]  audit entries kept
  ARGV[5]  audit ttl (s)

  Output: {1} acknowledged, {0} the command was not taken (unknown, or acknowledged already)
]]
local B = KEYS[1]
local id = ARGV[1]
local cmdId = ARGV[2]

-- @include "workers"

local W = workerKey(B, id)
if redis.call("HDEL", W .. ":taken", cmdId) == 0 then
  return {0}
end
redis.call("HDEL", W .. ":cmds", cmdId)
redis.call("LPUSH", W .. ":audit", ARGV[3])
redis.call("LTRIM", W .. ":audit", 0, tonumber(ARGV[4]) - 1)
if redis.call("EXISTS", W) == 0 then
  redis.call("EXPIRE", W .. ":audit", tonumber(ARGV[5]))
end
return {1}
