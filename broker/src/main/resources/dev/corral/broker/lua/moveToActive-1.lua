--[[
  Takes the next job for a worker (BullMQ's moveToActive): promotes due delayed jobs, honours pause,
  global concurrency and rate limits, moves the job to active with a lock, and re-adds the base marker.

  KEYS[1]  P (touches P meta, P delayed, P wait, P prioritized, P pc, P active, P limiter, P marker,
           P events, P<jobId>, P<jobId>:lock)

  ARGV[1]  now (ms), or "@<offset>": Redis' TIME plus offset microseconds (a fetch queued behind a marker block,
           which runs later than it was written; the offset is the worker clock's, see MarkerConnection)
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

local nowText = ARGV[1]
if string.byte(nowText, 1) == 64 then -- "@"
  local t = redis.call("TIME")
  nowText = fmtInt(math.floor((tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(string.sub(nowText, 2))) / 1000))
end

local result = fetchNextJob(P, workerMeta(P), nowText, ARGV[2], ARGV[3], tonumber(ARGV[4]),
  tonumber(ARGV[5]), ARGV[6])
return result
