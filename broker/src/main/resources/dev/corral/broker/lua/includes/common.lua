--[[
  Helpers shared by Corral's scripts. P is the queue base key "<prefix>:<queue>:".
  Numbers that may exceed 14 significant digits (delayed scores) are never turned into strings with
  tostring or '..' (Lua 5.1 prints "%.14g"); they are passed to redis.call as numbers, which Redis
  formats exactly, or as fmtInt strings.
  On the paths every job takes (add, fetch, finish), redis.call gets strings, not numbers: Redis 7.0 turns a
  number argument into text with snprintf("%.17g"), which cost about 2,700 instructions a time, some ten per
  processed job (callgrind; docs/performance.md). So literals are written "0", ARGV text is passed on as it
  came, maxLen stays the text read from meta, and integers made in Lua go through fmtInt (%d is cheap).
]]

local function fmtInt(n)
  return string.format("%d", n)
end

-- opts.maxLenEvents from meta, as text (only ever passed to XADD / XTRIM); writes the default 10000 when
-- absent (as BullMQ's getOrSetMaxEvents).
local function maxEvents(P)
  local m = redis.call("HGET", P .. "meta", "opts.maxLenEvents")
  if not m then
    redis.call("HSET", P .. "meta", "opts.maxLenEvents", "10000")
    return "10000"
  end
  return m
end

-- The meta fields the worker scripts need, in one HMGET: maxLen (opts.maxLenEvents as text, written as 10000
-- when absent, as maxEvents), paused (boolean), concurrency, max, duration (numbers or nil).
local function workerMeta(P)
  local m = redis.call("HMGET", P .. "meta", "opts.maxLenEvents", "paused", "concurrency", "max", "duration")
  local maxLen = m[1]
  if not maxLen then
    redis.call("HSET", P .. "meta", "opts.maxLenEvents", "10000")
    maxLen = "10000"
  end
  return {maxLen = maxLen, paused = m[2] and true or false, concurrency = tonumber(m[3]), max = tonumber(m[4]),
    duration = tonumber(m[5])}
end

-- XADD P events MAXLEN ~ maxLen * event <name> [field value ...]
local function emit(P, maxLen, name, ...)
  redis.call("XADD", P .. "events", "MAXLEN", "~", maxLen, "*", "event", name, ...)
end

-- XADD without trimming, where BullMQ writes it so: "added", "active", and the events moveToFinished writes
-- after its own XTRIM. Saves the trim check on the hot path; the stream stays bounded by the trimming writes.
local function emitUntrimmed(P, name, ...)
  redis.call("XADD", P .. "events", "*", "event", name, ...)
end

-- True when meta.paused exists, or meta.concurrency is set and active has reached it.
local function isPausedOrMaxed(P)
  local m = redis.call("HMGET", P .. "meta", "paused", "concurrency")
  if m[1] then
    return true
  end
  if m[2] then
    return redis.call("LLEN", P .. "active") >= tonumber(m[2])
  end
  return false
end

local function addBaseMarker(P)
  redis.call("ZADD", P .. "marker", "0", "0")
end

local function addBaseMarkerIfReady(P)
  if not isPausedOrMaxed(P) then
    addBaseMarker(P)
  end
end

-- score = due * 4096 + seq, FIFO among jobs due in the same millisecond, seq capped at 4095.
local function delayedScore(P, due)
  local base = due * 4096
  local top = redis.call("ZREVRANGEBYSCORE", P .. "delayed", base + 4095, base, "WITHSCORES", "LIMIT", 0, 1)
  if #top == 0 then
    return base
  end
  local score = tonumber(top[2]) + 1
  if score > base + 4095 then
    score = base + 4095
  end
  return score
end

-- Marker member "1" scored with the next due time (ms): the lowest delayed score / 4096, fraction kept
-- (BullMQ 6.7.0 does not round it: a lowest job with seq 1 gives due + 1/4096).
local function setDelayMarker(P)
  local first = redis.call("ZRANGE", P .. "delayed", "0", "0", "WITHSCORES")
  if #first > 0 then
    redis.call("ZADD", P .. "marker", tonumber(first[2]) / 4096, "1")
  end
end

-- priority * 2^32 + (INCR pc mod 2^32): lower runs first, FIFO within one priority.
local function priorityScore(P, priority)
  local counter = redis.call("INCR", P .. "pc")
  return priority * 4294967296 + (counter % 4294967296)
end

-- Puts a ready job in wait (LPUSH, or RPUSH when lifo) or prioritized; no marker, no event.
local function pushReady(P, jobId, priority, lifo)
  if priority > 0 then
    redis.call("ZADD", P .. "prioritized", priorityScore(P, priority), jobId)
  elseif lifo then
    redis.call("RPUSH", P .. "wait", jobId)
  else
    redis.call("LPUSH", P .. "wait", jobId)
  end
end

-- Adds a job to delayed for time due (ms) and emits "delayed" with the absolute due time; no marker.
local function addDelayed(P, maxLen, jobId, due)
  redis.call("ZADD", P .. "delayed", delayedScore(P, due), jobId)
  emit(P, maxLen, "delayed", "jobId", jobId, "delay", fmtInt(due))
end

-- addDelayed, then sets the delay marker.
local function pushDelayed(P, maxLen, jobId, due)
  addDelayed(P, maxLen, jobId, due)
  setDelayMarker(P)
end

-- Promotes up to 1000 due delayed jobs to wait/prioritized. Returns how many were promoted.
local function promoteDueDelayed(P, maxLen, now)
  local ids = redis.call("ZRANGEBYSCORE", P .. "delayed", "0", fmtInt((now + 1) * 4096 - 1), "LIMIT", "0", "1000")
  for _, jobId in ipairs(ids) do
    redis.call("ZREM", P .. "delayed", jobId)
    local jobKey = P .. jobId
    local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
    -- lifo is ignored for delayed jobs, as in BullMQ
    pushReady(P, jobId, priority, false)
    emit(P, maxLen, "waiting", "jobId", jobId, "prev", "delayed")
    redis.call("HSET", jobKey, "delay", "0")
  end
  return #ids
end

-- Lowest delayed due time (ms) or 0.
local function nextDelayedDue(P)
  local first = redis.call("ZRANGE", P .. "delayed", "0", "0", "WITHSCORES")
  if #first > 0 then
    return math.floor(tonumber(first[2]) / 4096)
  end
  return 0
end

-- Which state key holds jobId: "completed", "failed", "delayed", "prioritized", "active", "waiting",
-- "waiting-children" or "unknown" (same order as BullMQ's getState).
local function jobState(P, jobId)
  if redis.call("ZSCORE", P .. "completed", jobId) then return "completed" end
  if redis.call("ZSCORE", P .. "failed", jobId) then return "failed" end
  if redis.call("ZSCORE", P .. "delayed", jobId) then return "delayed" end
  if redis.call("ZSCORE", P .. "prioritized", jobId) then return "prioritized" end
  if redis.call("LPOS", P .. "active", jobId) then return "active" end
  if redis.call("LPOS", P .. "wait", jobId) then return "waiting" end
  if redis.call("LPOS", P .. "paused", jobId) then return "waiting" end
  if redis.call("ZSCORE", P .. "waiting-children", jobId) then return "waiting-children" end
  return "unknown"
end

-- Deletes the job hash and its sub-keys (not the lock).
local function deleteJobKeys(jobKey)
  redis.call("DEL", jobKey, jobKey .. ":logs", jobKey .. ":dependencies", jobKey .. ":processed",
    jobKey .. ":failed", jobKey .. ":unsuccessful")
end
