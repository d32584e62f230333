--[[
  Puts a failed active job back as delayed for a retry with backoff (BullMQ's moveToDelayed), or delays
  it on the processor's request (skip attempt).

  KEYS[1]  P (touches P active, P stalled, P delayed, P marker, P events, P meta, P<jobId>, its lock; with
           fetch next also what moveToActive touches)

  ARGV[1]  job id
  ARGV[2]  now (ms)
  ARGV[3]  lock token ("0" = no lock check)
  ARGV[4]  delay (ms); the job is due at now + delay
  ARGV[5]  failed reason, or "" to leave failedReason/stacktrace untouched
  ARGV[6]  stacktrace JSON, or ""
  ARGV[7]  skip attempt "1" | "0" (when "1", atm is not incremented)
  ARGV[8]  fetch next "1" | "0" (absent = "0")
  ARGV[9]  lock duration (ms)              -- fetch next
  ARGV[10] worker rate limit max           -- fetch next
  ARGV[11] worker rate limit duration (ms) -- fetch next
  ARGV[12] lock token for the next job     -- fetch next
  ARGV[13] worker name                     -- fetch next

  Output: {0} | {0, {jobHashFlat, jobId, 0, 0}} when fetch next took a job | {code}: -1 missing job,
          -2 missing lock, -3 not active, -6 lock mismatch
  Events: delayed (with the absolute due time); waiting/active from fetch next.
  Marker: the delay marker is set unless fetch next took a job (as BullMQ: that worker is busy, and the
          job it finishes next fetches again).
]]
local P = KEYS[1]
local jobId = ARGV[1]
local now = tonumber(ARGV[2])
local delay = tonumber(ARGV[4])
local jobKey = P .. jobId

-- @include "common"
-- @include "finish"
-- @include "fetch"

local taken = takeOutOfActive(P, jobId, ARGV[3], ARGV[5], ARGV[6])
if taken ~= 0 then
  return {taken}
end
if ARGV[7] ~= "1" then
  redis.call("HINCRBY", jobKey, "atm", 1)
end
redis.call("HSET", jobKey, "delay", delay)
if ARGV[8] == "1" then
  local meta = workerMeta(P)
  addDelayed(P, meta.maxLen, jobId, now + delay)
  local next = fetchNextJob(P, meta, ARGV[2], ARGV[12], ARGV[9], tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[13])
  if type(next[1]) == "table" then
    return {0, next}
  end
  setDelayMarker(P)
  return {0}
end
pushDelayed(P, maxEvents(P), jobId, now + delay)
return {0}
