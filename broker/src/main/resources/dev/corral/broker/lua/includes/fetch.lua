--[[
  Taking the next job for a worker (BullMQ's moveToActive logic). Needs common.lua.
  fetchNextJob returns {jobHashFlat, jobId, rateLimitTtl, nextDelayedDue} (0 stands for "none" in each
  slot), and a second value: true only when there was nothing at all (no job, not rate limited, not paused
  or maxed, nothing delayed). Only then may moveToFinished emit "drained", as in BullMQ.
]]

local function prepareJobForProcessing(P, maxLen, jobId, now, token, lockDuration, rateMax, rateDuration, workerName)
  local jobKey = P .. jobId
  if rateMax > 0 and redis.call("HEXISTS", jobKey, "defa") == 0 then
    if redis.call("INCR", P .. "limiter") == 1 then
      redis.call("PEXPIRE", P .. "limiter", math.floor(math.abs(rateDuration)))
    end
  end
  if token ~= "0" then
    redis.call("SET", jobKey .. ":lock", token, "PX", lockDuration)
  end
  emitUntrimmed(P, "active", "jobId", jobId, "prev", "waiting")
  if workerName ~= "" then
    redis.call("HSET", jobKey, "processedOn", now, "pb", workerName)
  else
    redis.call("HSET", jobKey, "processedOn", now)
  end
  redis.call("HINCRBY", jobKey, "ats", 1)
  addBaseMarker(P)
  return {redis.call("HGETALL", jobKey), jobId, 0, 0}
end

-- Pops the next runnable id into active: wait (right end) first, then the lowest prioritized score.
-- Skips legacy "0:" markers and ids whose hash no longer exists.
local function popNextJobId(P)
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
    if string.sub(jobId, 1, 2) ~= "0:" and redis.call("EXISTS", P .. jobId) == 1 then
      return jobId
    end
    redis.call("LREM", P .. "active", 1, jobId)
  end
end

local function fetchNextJob(P, maxLen, now, token, lockDuration, workerMax, workerDuration, workerName)
  local meta = redis.call("HMGET", P .. "meta", "paused", "concurrency", "max", "duration")
  local pausedOrMaxed = meta[1] and true or false
  if not pausedOrMaxed and meta[2] then
    pausedOrMaxed = redis.call("LLEN", P .. "active") >= tonumber(meta[2])
  end
  if promoteDueDelayed(P, maxLen, now) > 0 and not pausedOrMaxed then
    addBaseMarker(P)
  end
  -- for max the queue-wide value wins, for duration the worker's (as in BullMQ)
  local rateMax = tonumber(meta[3]) or workerMax
  local rateDuration = workerDuration
  if rateDuration <= 0 then
    rateDuration = tonumber(meta[4]) or 0
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
  local jobId = popNextJobId(P)
  if jobId then
    return prepareJobForProcessing(P, maxLen, jobId, now, token, lockDuration, rateMax, rateDuration, workerName),
      false
  end
  local nextDue = nextDelayedDue(P)
  return {0, 0, 0, nextDue}, nextDue == 0
end
