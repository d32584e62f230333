--[[
  Queues a command for a registered worker (durable: the worker reads its queue at every heartbeat) and
  publishes the command id on the worker's nudge channel so a subscribed worker reads it at once.

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  worker id
  ARGV[2]  command id
  ARGV[3]  command JSON
  ARGV[4]  most pending commands per worker
  ARGV[5]  nudge channel

  Output: {1, subscribers reached}, {-1} the worker is not registered, {-2} its queue is full,
          {-3} a command with this id exists
]]
local B = KEYS[1]
local id = ARGV[1]
local cmdId = ARGV[2]

-- @include "workers"

local W = workerKey(B, id)
if redis.call("EXISTS", W) == 0 then
  return {-1}
end
if redis.call("LLEN", W .. ":queue") >= tonumber(ARGV[4]) then
  return {-2}
end
if redis.call("HSETNX", W .. ":cmds", cmdId, ARGV[3]) == 0 then
  return {-3}
end
redis.call("RPUSH", W .. ":queue", cmdId)
return {1, redis.call("PUBLISH", ARGV[5], cmdId)}
