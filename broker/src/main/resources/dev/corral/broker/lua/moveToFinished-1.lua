--[[
  Moves an active job to completed or failed (BullMQ's moveToFinished), with lock check, parent
  bookkeeping, deduplication cleanup (and the job a keepLastIfActive add kept in P dn:<id> is added), keep-jobs
  trimming, events, and optionally fetches the next job.
  A DAG node (a job with dagKey) also gets its DAG bookkeeping (includes/dag.lua, dagNodeFinished).

  KEYS[1]  P (touches P active, P stalled, P completed|failed, P events, P meta, P de:<id>, P<jobId> and
           its sub-keys, the parent's keys, P metrics:<target>[:data] with metrics; for a kept dedup job
           P dn:<id>, P id, P wait|prioritized|delayed, P pc, P marker and its hash; with fetchNext also what
           moveToActive touches)

  ARGV[1]  job id
  ARGV[2]  now (ms)
  ARGV[3]  target "completed" | "failed"
  ARGV[4]  return value (JSON) when completed; failed reason (raw text) when failed
  ARGV[5]  lock token ("0" = no lock check)
  ARGV[6]  keep count (-1 = keep all, 0 = delete now, n = keep newest n)
  ARGV[7]  keep age in seconds, or ""
  ARGV[8]  keep limit (max jobs deleted by age in one call)
  ARGV[9]  attempts (opts.attempts) for retries-exhausted
  ARGV[10] stacktrace JSON to store, or "" (failed only)
  ARGV[11] fetch next "1" | "0"
  ARGV[12] lock duration (ms)              -- fetch next
  ARGV[13] worker rate limit max           -- fetch next
  ARGV[14] worker rate limit duration (ms) -- fetch next
  ARGV[15] lock token for the next job     -- fetch next
  ARGV[16] worker name                     -- fetch next
  ARGV[17] worker metrics: most data points kept, or "" for no metrics (P metrics:<target>, includes/metrics.lua)

  Output: {0} | {0, {jobHashFlat|0, jobId|0, rateLimitTtl, nextDelayedDue}} | {code}
          code: -1 missing job, -2 missing lock, -3 not active, -4 pending children, -6 lock mismatch,
          -9 failed children.
  Events: added + waiting | delayed for a job kept by keepLastIfActive (first); completed | failed
          (+ retries-exhausted); drained when wait, active and prioritized are empty
          and, with fetch next, the queue is neither paused, maxed nor rate limited and has no delayed job;
          waiting/active from fetch next.
]]
local P = KEYS[1]
local jobId = ARGV[1]
local nowText = ARGV[2]
local now = tonumber(nowText)
local target = ARGV[3]
local value = ARGV[4]
local jobKey = P .. jobId

-- @include "common"
-- @include "finish"
-- @include "fetch"

if redis.call("EXISTS", jobKey) == 0 then
  return {-1}
end
-- empty sets do not exist, so one EXISTS tells whether a parent has anything to check
if target == "completed" and redis.call("EXISTS", jobKey .. ":dependencies", jobKey .. ":unsuccessful") > 0 then
  if redis.call("SCARD", jobKey .. ":dependencies") ~= 0 then
    return {-4}
  end
  if redis.call("ZCARD", jobKey .. ":unsuccessful") ~= 0 then
    return {-9}
  end
end
local lockResult = releaseLock(P, jobId, ARGV[5])
if lockResult ~= 0 then
  return {lockResult}
end
local jobFields = redis.call("HMGET", jobKey, "parentKey", "parent", "deid", "atm", "dagKey", "dagNode",
  "processedOn")
-- Never finished before processed: a fetch queued behind a marker block stamps processedOn with Redis' TIME
-- plus an upper bound of the worker clock's offset, which can be a little later than this call's now.
local processedOn = tonumber(jobFields[7])
if processedOn and processedOn > now then
  now = processedOn
  nowText = jobFields[7]
end
if redis.call("LREM", P .. "active", "-1", jobId) == 0 then
  return {-3}
end

local meta = workerMeta(P)
local maxLen = meta.maxLen
redis.call("XTRIM", P .. "events", "MAXLEN", "~", maxLen)

local dedupId = jobFields[3]
if dedupId then
  local dedupKey = P .. "de:" .. dedupId
  if redis.call("GET", dedupKey) == jobId and redis.call("PTTL", dedupKey) == -1 then
    redis.call("DEL", dedupKey)
  end
  -- keepLastIfActive: the add kept while this job was active becomes a job now (includes/adding.lua)
  if redis.call("EXISTS", P .. "dn:" .. dedupId) == 1 then
-- @include "adding"
    addKeptDedupJob(P, maxLen, dedupId, now)
  end
end

local parentKey = jobFields[1]
local keepCount = tonumber(ARGV[6])
local keepAge = tonumber(ARGV[7])

-- Flow children, keep policies that delete jobs, and DAG nodes need the parent, trimming and DAG helpers.
-- They are defined only on that path: Redis runs a script's definitions on every call, and making their
-- closures cost a plain job's finish about 6 % of its Redis time (docs/performance.md).
local lib
if parentKey or keepCount >= 0 or keepAge or jobFields[5] then
-- @include "parents"
-- @include "trim"
-- @include "dag"
  lib = {parentOf = parentOf, onChildCompleted = onChildCompleted, onChildFailed = onChildFailed,
    detachDeletedChild = detachDeletedChild, trimFinished = trimFinished, dagNodeFinished = dagNodeFinished}
end

if parentKey then
  local parent = lib.parentOf(jobFields[2])
  if parent then
    if target == "completed" then
      lib.onChildCompleted(jobKey, parentKey, parent, value, now)
    else
      lib.onChildFailed(jobKey, parentKey, parent, value, now)
    end
  end
end

local attemptsMade = (tonumber(jobFields[4]) or 0) + 1
local setKey = P .. target
if keepCount == 0 then
  deleteJobKeys(jobKey)
  -- a failed child still pending in its parent (no failure policy) is detached when it is not kept
  lib.detachDeletedChild(jobKey, parentKey, jobFields[2])
else
  redis.call("ZADD", setKey, nowText, jobId)
  local atm = fmtInt(attemptsMade)
  if target == "completed" then
    redis.call("HSET", jobKey, "returnvalue", value, "finishedOn", nowText, "atm", atm)
  else
    if ARGV[10] ~= "" then
      redis.call("HSET", jobKey, "failedReason", value, "finishedOn", nowText, "atm", atm,
        "stacktrace", ARGV[10])
    else
      redis.call("HSET", jobKey, "failedReason", value, "finishedOn", nowText, "atm", atm)
    end
    redis.call("HDEL", jobKey, "defa")
  end
  if lib then
    lib.trimFinished(P, setKey, now, keepCount, keepAge, tonumber(ARGV[8]) or 1000)
  end
end

if target == "completed" then
  emitUntrimmed(P, "completed", "jobId", jobId, "returnvalue", value, "prev", "active")
else
  emitUntrimmed(P, "failed", "jobId", jobId, "failedReason", value, "prev", "active")
  if attemptsMade >= (tonumber(ARGV[9]) or 0) then
    emitUntrimmed(P, "retries-exhausted", "jobId", jobId, "attemptsMade", attemptsMade)
  end
end

local metricsDataPoints = tonumber(ARGV[17])
if metricsDataPoints and metricsDataPoints > 0 then
-- @include "metrics"
  recordFinishMetrics(P, target, metricsDataPoints, now, nowText)
end

-- A DAG node: release its dependents (or apply its failure policy) atomically with its own finish, before
-- fetching next so that a dependent released into this queue can be taken at once.
if jobFields[5] then
  lib.dagNodeFinished(jobFields[5], jobFields[6], target, value, now)
end

local function emitDrainedIfEmpty()
  if redis.call("LLEN", P .. "wait") == 0 and redis.call("LLEN", P .. "active") == 0
      and redis.call("ZCARD", P .. "prioritized") == 0 then
    emitUntrimmed(P, "drained")
  end
end

if ARGV[11] == "1" then
  local next, nothing = fetchNextJob(P, meta, nowText, ARGV[15], ARGV[12], tonumber(ARGV[13]),
    tonumber(ARGV[14]), ARGV[16])
  -- a job, a rate limit, a paused/maxed queue or a delayed job: no "drained" (as BullMQ)
  if nothing then
    emitDrainedIfEmpty()
  end
  return {0, next}
end
emitDrainedIfEmpty()
return {0}
