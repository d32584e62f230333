--[[
  Returns an active job to the front of the queue without counting an attempt (a processor hit the rate
  limit; BullMQ's moveJobFromActiveToWait).

  KEYS[1]  P (touches P active, P stalled, P wait, P prioritized, P marker, P events, P meta, P limiter,
           the job's lock)

  ARGV[1]  job id
  ARGV[2]  lock token ("0" = no lock check)

  Output: {0, pttl of P limiter} | {code}: -2 missing lock, -3 not active, -6 lock mismatch
  Events: waiting (prev active).
]]
local P = KEYS[1]
local jobId = ARGV[1]

-- @include "common"
-- @include "finish"

local lockResult = releaseLock(P, jobId, ARGV[2])
if lockResult ~= 0 then
  return {lockResult}
end
if redis.call("LREM", P .. "active", 1, jobId) == 0 then
  return {-3}
end
local priority = tonumber(redis.call("HGET", P .. jobId, "priority")) or 0
if priority > 0 then
  redis.call("ZADD", P .. "prioritized", priority * 4294967296, jobId)
else
  redis.call("RPUSH", P .. "wait", jobId)
end
addBaseMarkerIfReady(P)
emit(P, maxEvents(P), "waiting", "jobId", jobId, "prev", "active")
return {0, redis.call("PTTL", P .. "limiter")}
