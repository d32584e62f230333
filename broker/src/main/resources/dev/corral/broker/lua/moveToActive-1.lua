--[[
  Takes the next job for a worker (BullMQ's moveToActive): promotes due delayed jobs, honours pause,
  global concurrency and rate limits, moves the job to active with a lock, and re-adds the base marker.

  KEYS[1]  P (touches P meta, P delayed, P wait, P prioritized, P pc, P active, P limiter, P marker,
           P events, P<jobId>, P<jobId>:lock)

  ARGV[1]  now (ms)
  ARGV[2]  lock token ("0" = no lock)
  ARGV[3]  lock duration (ms)
  ARGV[4]  worker rate limit max (0 = none)
  ARGV[5]  worker rate limit duration (ms, 0 = none)
  ARGV[6]  worker name ("" = none; written as pb)

  Output: {jobHashFlat | 0, jobId | 0, rateLimitTtl, nextDelayedDue}
  Events: waiting (prev delayed) for promoted jobs, active.
]]
local P = KEYS[1]

-- @include "common"
-- @include "fetch"

local result = fetchNextJob(P, workerMeta(P), ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]),
  tonumber(ARGV[5]), ARGV[6])
return result
