--[[
  Puts a failed active job straight back to wait/prioritized for another attempt (BullMQ's retryJob).

  KEYS[1]  P (touches P delayed, P wait, P prioritized, P pc, P active, P stalled, P marker, P events,
           P meta, P<jobId>, its lock)

  ARGV[1]  job id
  ARGV[2]  now (ms)
  ARGV[3]  lock token ("0" = no lock check)
  ARGV[4]  failed reason
  ARGV[5]  stacktrace JSON
  ARGV[6]  lifo "1" | "0" (RPUSH instead of LPUSH)

  Output: {0} | {code}: -1 missing job, -2 missing lock, -3 not active, -6 lock mismatch
  Events: waiting (prev delayed) for promoted jobs; waiting (prev active).
]]
local P = KEYS[1]
local jobId = ARGV[1]
local now = tonumber(ARGV[2])
local jobKey = P .. jobId

-- @include "common"
-- @include "finish"

local maxLen = maxEvents(P)
promoteDueDelayed(P, maxLen, now)
local taken = takeOutOfActive(P, jobId, ARGV[3], ARGV[4], ARGV[5])
if taken ~= 0 then
  return {taken}
end
local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
pushReady(P, jobId, priority, ARGV[6] == "1")
addBaseMarkerIfReady(P)
redis.call("HINCRBY", jobKey, "atm", 1)
emit(P, maxLen, "waiting", "jobId", jobId, "prev", "active")
return {0}
