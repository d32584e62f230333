--[[
  Puts a failed active job back as delayed for a retry with backoff (BullMQ's moveToDelayed), or delays
  it on the processor's request (skip attempt).

  KEYS[1]  P (touches P active, P stalled, P delayed, P marker, P events, P meta, P<jobId>, its lock)

  ARGV[1]  job id
  ARGV[2]  now (ms)
  ARGV[3]  lock token ("0" = no lock check)
  ARGV[4]  delay (ms); the job is due at now + delay
  ARGV[5]  failed reason, or "" to leave failedReason/stacktrace untouched
  ARGV[6]  stacktrace JSON, or ""
  ARGV[7]  skip attempt "1" | "0" (when "1", atm is not incremented)

  Output: {0} | {code}: -1 missing job, -2 missing lock, -3 not active, -6 lock mismatch
  Events: delayed (with the absolute due time).
]]
local P = KEYS[1]
local jobId = ARGV[1]
local now = tonumber(ARGV[2])
local delay = tonumber(ARGV[4])
local jobKey = P .. jobId

-- @include "common"
-- @include "finish"

local taken = takeOutOfActive(P, jobId, ARGV[3], ARGV[5], ARGV[6])
if taken ~= 0 then
  return {taken}
end
local maxLen = maxEvents(P)
if ARGV[7] ~= "1" then
  redis.call("HINCRBY", jobKey, "atm", 1)
end
redis.call("HSET", jobKey, "delay", delay)
pushDelayed(P, maxLen, jobId, now + delay)
return {0}
