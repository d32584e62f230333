--[[
  Moves a delayed job to a new due time, now + delay (BullMQ's changeDelay). Sets the delay marker even
  when the queue is paused, as BullMQ does.

  KEYS[1]  P (touches P delayed, P marker, P events, P meta, P<jobId>)

  ARGV[1]  job id
  ARGV[2]  delay (ms, >= 0)
  ARGV[3]  now (ms)

  Output: {0} | {-1} missing job | {-3} not delayed
  Events: delayed (with the absolute due time).
]]
local P = KEYS[1]
local jobId = ARGV[1]
local delay = tonumber(ARGV[2])
local now = tonumber(ARGV[3])

-- @include "common"

if redis.call("EXISTS", P .. jobId) == 0 then
  return {-1}
end
if redis.call("ZREM", P .. "delayed", jobId) == 0 then
  return {-3}
end
redis.call("HSET", P .. jobId, "delay", delay)
pushDelayed(P, maxEvents(P), jobId, now + delay)
return {0}
