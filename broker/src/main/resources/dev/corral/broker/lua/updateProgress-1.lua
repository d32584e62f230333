--[[
  Stores a job's progress and emits it (BullMQ's updateProgress).

  KEYS[1]  P (touches P<jobId>, P events, P meta)

  ARGV[1]  job id
  ARGV[2]  progress (JSON: a number or an object)

  Output: {0} | {-1} missing job
  Events: progress (jobId, data).
]]
local P = KEYS[1]
local jobKey = P .. ARGV[1]

-- @include "common"

if redis.call("EXISTS", jobKey) == 0 then
  return {-1}
end
redis.call("HSET", jobKey, "progress", ARGV[2])
emit(P, maxEvents(P), "progress", "jobId", ARGV[1], "data", ARGV[2])
return {0}
