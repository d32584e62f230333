--[[
  Removes a job scheduler (BullMQ 6.7.0's removeJobScheduler): its current iteration is deleted when it is
  still delayed (an iteration already waiting or active stays), then P repeat:<id> and the zset entry.

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (touches P repeat, P repeat:<id>, P delayed, P events,
           P repeat:<id>:<millis> and its sub-keys)

  ARGV[1]  scheduler id

  Output: {0} removed, {1} no such scheduler.
  Events: removed (prev delayed) for a deleted iteration.
]]
local P = KEYS[1]
local schedulerId = ARGV[1]

-- @include "common"

local millis = redis.call("ZSCORE", P .. "repeat", schedulerId)
if millis then
  local jobId = "repeat:" .. schedulerId .. ":" .. fmtInt(tonumber(millis))
  if redis.call("ZREM", P .. "delayed", jobId) == 1 then
    deleteJobKeys(P .. jobId)
    emitUntrimmed(P, "removed", "jobId", jobId, "prev", "delayed")
  end
end
if redis.call("ZREM", P .. "repeat", schedulerId) == 1 then
  redis.call("DEL", P .. "repeat:" .. schedulerId)
  return {0}
end
return {1}
