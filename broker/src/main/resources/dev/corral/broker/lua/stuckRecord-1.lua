--[[
  Records stuck-job events (stalled recovery, lock loss, timeout) in the hourly stuck history. An event
  without a worker is attributed to the worker running the job per the registry (B owners, unless that worker
  took the job at or after the event's time, else B orphans).

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  now (ms)
  ARGV[2]  retention (s) after the hour ends
  ARGV[3]  log entries kept per hour
  ARGV[4..] groups of 9: queue, job id, job name, execution id, workflow id, worker id, reason, detail
           ("" for unknown), when it happened (ms, "0" = now)

  Output: {events recorded}
]]
local B = KEYS[1]
local now = tonumber(ARGV[1])

-- @include "workers"

local n = 0
for i = 4, #ARGV, 9 do
  recordStuck(B, now, tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3],
    ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], ARGV[i + 7], tonumber(ARGV[i + 8]) or 0)
  n = n + 1
end
return {n}
