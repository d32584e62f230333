--[[
  Taking the next job for a worker (BullMQ's moveToActive logic). Needs common.lua.
  fetchNextJob returns {jobHashFlat, jobId, rateLimitTtl, nextDelayedDue} (0 stands for "none" in each
  slot), and a second value: true only when there was nothing at all (no job, not rate limited, not paused
  or maxed, nothing delayed). Only then may moveToFinished emit "drained", as in BullMQ.
]]

-- Locks the popped job, stamps processedOn / pb / ats and returns the fetch tuple. hash is the job's
-- HGETALL taken when it was popped; it is patched here instead of being read again. nowText and lockDuration
-- are the callers' ARGV text. A DAG node is never stamped processed before its dependencies' latest finish
-- (dagReadyAt, dag.lua): a fetch's now may have been read before the finish that released the node ran.
local function prepareJobForProcessing(P, jobId, hash, nowText, token, lockDuration, rateMax, rateDuration,
    workerName)
  local jobKey = P .. jobId
  local fields = {}
  for k = 1, #hash, 2 do
    fields[hash[k]] = k + 1
  end
  if rateMax > 0 and not fields["defa"] then
    if redis.call("INCR", P .. "limiter") == 1 then
      redis.call("PEXPIRE", P .. "limiter", math.floor(math.abs(rateDuration)))
    end
  end
  if token ~= "0" then
    redis.call("SET", jobKey .. ":lock", token, "PX", lockDuration)
  end
  emitUntrimmed(P, "active", "jobId", jobId, "prev", "waiting")
  local ats = fmtInt((fields["ats"] and tonumber(hash[fields["ats"]]) or 0) + 1)
  local readyAt = fields["dagReadyAt"] and tonumber(hash[fields["dagReadyAt"]])
  if readyAt and readyAt > tonumber(nowText) then
    nowText = hash[fields["dagReadyAt"]]
  end
  local stamps = {"processedOn", nowText, "ats", ats}
  if workerName ~= "" then
    stamps[5] = "pb"
    stamps[6] = workerName
  end
  redis.call("HSET", jobKey, unpack(stamps))
  for k = 1, #stamps, 2 do
    local at = fields[stamps[k]]
    if at then
      hash[at] = stamps[k + 1]
    else
      hash[#hash + 1] = stamps[k]
      hash[#hash + 1] = stamps[k + 1]
    end
  end
  addBaseMarker(P)
  return {hash, jobId, 0, 0}
end

-- Pops the next runnable job into active: wait (right end) first, then the lowest prioritized score.
-- Returns its id and HGETALL, or nil. Skips legacy "0:" markers and ids whose hash no longer exists.
local function popNextJob(P)
  while true do
    local jobId = redis.call("RPOPLPUSH", P .. "wait", P .. "active")
    if not jobId then
      local popped = redis.call("ZPOPMIN", P .. "prioritized")
      if #popped == 0 then
        redis.call("DEL", P .. "pc")
        return nil
      end
      jobId = popped[1]
      redis.call("LPUSH", P .. "active", jobId)
    end
    if string.sub(jobId, 1, 2) ~= "0:" then
      local hash = redis.call("HGETALL", P .. jobId)
      if #hash > 0 then
        return jobId, hash
      end
    end
    redis.call("LREM", P .. "active", "1", jobId)
  end
end

-- meta is workerMeta(P); nowText (ms) and lockDuration (ms) are ARGV text, passed on to Redis as they came.
local function fetchNextJob(P, meta, nowText, token, lockDuration, workerMax, workerDuration, workerName)
  local now = tonumber(nowText)
  local pausedOrMaxed = meta.paused
  if not pausedOrMaxed and meta.concurrency then
    pausedOrMaxed = redis.call("LLEN", P .. "active") >= meta.concurrency
  end
  if promoteDueDelayed(P, meta.maxLen, now) > 0 and not pausedOrMaxed then
    addBaseMarker(P)
  end
  -- for max the queue-wide value wins, for duration the worker's (as in BullMQ)
  local rateMax = meta.max or workerMax
  local rateDuration = workerDuration
  if rateDuration <= 0 then
    rateDuration = meta.duration or 0
  end
  if rateMax > 0 then
    local ttl = redis.call("PTTL", P .. "limiter")
    if ttl > 0 and (tonumber(redis.call("GET", P .. "limiter")) or 0) >= rateMax then
      return {0, 0, ttl, 0}, false
    end
  end
  if pausedOrMaxed then
    return {0, 0, 0, 0}, false
  end
  local jobId, hash = popNextJob(P)
  if jobId then
    return prepareJobForProcessing(P, jobId, hash, nowText, token, lockDuration, rateMax, rateDuration,
      workerName),
      false
  end
  local nextDue = nextDelayedDue(P)
  return {0, 0, 0, nextDue}, nextDue == 0
end
