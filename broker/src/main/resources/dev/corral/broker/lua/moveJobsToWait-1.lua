--[[
  Moves a batch of jobs to wait in bulk (BullMQ's moveJobsToWait, behind retryJobs and promoteJobs): up to
  count jobs of completed or failed whose finishedOn (score) is <= the cutoff, or of delayed whatever
  their due time. Finished jobs lose finishedOn, processedOn and their returnvalue or failedReason; promoted
  delayed jobs get delay 0. All are LPUSHed to wait, ignoring priorities (as BullMQ). Ids whose hash is
  gone are dropped. The caller repeats while the reply says more are left.

  KEYS[1]  P (touches P completed|failed|delayed, P wait, P marker, P events, P meta, P<jobId>)

  ARGV[1]  state: completed | failed | delayed
  ARGV[2]  count: batch size
  ARGV[3]  cutoff (ms) for completed/failed; ignored for delayed

  Output: {moved, more}: jobs moved by this call, and 1 when jobs in range are left, else 0
  Events: waiting (prev <state>) per job.
]]
local P = KEYS[1]
local state = ARGV[1]
local count = tonumber(ARGV[2])
local setKey = P .. state

-- @include "common"

local max = "+inf"
if state ~= "delayed" then
  max = tonumber(ARGV[3])
end
local ids = redis.call("ZRANGEBYSCORE", setKey, "-inf", max, "LIMIT", 0, count)
local maxLen = maxEvents(P)
local moved = 0
for _, jobId in ipairs(ids) do
  redis.call("ZREM", setKey, jobId)
  local jobKey = P .. jobId
  if redis.call("EXISTS", jobKey) == 1 then
    if state == "delayed" then
      redis.call("HSET", jobKey, "delay", 0)
    else
      local resultField = state == "completed" and "returnvalue" or "failedReason"
      redis.call("HDEL", jobKey, "finishedOn", "processedOn", resultField)
    end
    redis.call("LPUSH", P .. "wait", jobId)
    emit(P, maxLen, "waiting", "jobId", jobId, "prev", state)
    moved = moved + 1
  end
end
if moved > 0 then
  addBaseMarkerIfReady(P)
end
local more = 0
if #redis.call("ZRANGEBYSCORE", setKey, "-inf", max, "LIMIT", 0, 1) > 0 then
  more = 1
end
return {moved, more}
