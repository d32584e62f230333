--[[
  Promotes one delayed job so it runs now (BullMQ's promote): to wait (LPUSH) or, with a priority, to
  prioritized with a new counter score; base marker unless paused or maxed; delay reset to 0.

  KEYS[1]  P (touches P delayed, P wait, P prioritized, P pc, P marker, P events, P meta, P<jobId>)

  ARGV[1]  job id

  Output: {0} | {-3} when the job is not in delayed
  Events: waiting (prev delayed).
]]
local P = KEYS[1]
local jobId = ARGV[1]

-- @include "common"

if redis.call("ZREM", P .. "delayed", jobId) == 0 then
  return {-3}
end
-- a legacy (BullMQ <= 4) "0:<delay>" marker at the consuming end of wait is not a job
local last = redis.call("LINDEX", P .. "wait", -1)
if last and string.sub(last, 1, 2) == "0:" then
  redis.call("RPOP", P .. "wait")
end
local jobKey = P .. jobId
local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
pushReady(P, jobId, priority, false)
addBaseMarkerIfReady(P)
emit(P, maxEvents(P), "waiting", "jobId", jobId, "prev", "delayed")
redis.call("HSET", jobKey, "delay", 0)
return {0}
