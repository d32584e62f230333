--[[
  Creates or replaces a job scheduler and adds its next iteration (BullMQ 6.7.0's addJobScheduler): the
  scheduler's pending iteration (delayed, prioritized or waiting) is replaced; an `every` scheduler whose
  interval did not change keeps its due time. The hash P repeat:<id> is rewritten with BullMQ's fields
  (name, tz, limit, pattern, startDate, endDate, every, offset, opts, data, ic).

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (touches P repeat, P repeat:<id>, P id, P meta, P wait,
           P prioritized, P pc, P delayed, P marker, P events, P de:<id>, P repeat:<id>:<millis>)

  ARGV[1]  scheduler id
  ARGV[2]  template name (the iterations' name)
  ARGV[3]  next millis of a pattern scheduler (computed by the client), "" for every
  ARGV[4]  every (ms) or ""
  ARGV[5]  pattern or ""
  ARGV[6]  tz or ""
  ARGV[7]  limit or ""
  ARGV[8]  startDate (ms) or ""
  ARGV[9]  endDate (ms) or ""
  ARGV[10] offset (ms; an `every` scheduler's non-zero offset) or ""
  ARGV[11] template data (JSON)
  ARGV[12] template opts (JSON, BullMQ's compact keys; "{}" for none)
  ARGV[13] the iteration's opts (JSON) without delay and jobId, which are set here
  ARGV[14] now (ms)

  Output: {iteration job id, delay}; or {-10} (a pattern iteration's id is taken), {-11} (32 consecutive
          every slots are taken); nothing is written then.
  Events: added, waiting | delayed (the replaced iteration is deleted without an event).
]]
local P = KEYS[1]
local schedulerId = ARGV[1]
local now = tonumber(ARGV[14])

-- @include "common"
-- @include "parents"
-- @include "removal"
-- @include "adding"
-- @include "schedulers"

local schedulerKey = P .. "repeat:" .. schedulerId
local every = tonumber(optArg(ARGV[4]))
local userOffset = tonumber(optArg(ARGV[10]))
local startDate = optArg(ARGV[8])
local maxLen = maxEvents(P)

local prevMillis = redis.call("ZSCORE", P .. "repeat", schedulerId)
if prevMillis then
  prevMillis = tonumber(prevMillis)
end

local nextMillis = tonumber(optArg(ARGV[3]))
local newOffset = userOffset or 0
local everyChanged = false
if every then
  local base = prevMillis
  if prevMillis and tonumber(redis.call("HGET", schedulerKey, "every")) ~= every then
    base = nil
    everyChanged = true
  end
  nextMillis, newOffset = everyNextMillis(base, every, now, userOffset or 0, startDate)
end

-- Deletes the pending iteration jobId (delayed, prioritized, or in wait/paused); false when it is elsewhere.
local function removePending(jobId)
  if redis.call("ZREM", P .. "delayed", jobId) == 1 or redis.call("ZREM", P .. "prioritized", jobId) == 1 then
    purgeJob(P, jobId)
    return true
  end
  local list = P .. "wait"
  if redis.call("HEXISTS", P .. "meta", "paused") == 1 then
    list = P .. "paused"
  end
  if redis.call("LREM", list, 1, jobId) > 0 then
    purgeJob(P, jobId)
    return true
  end
  return false
end

local removedPrev = false
if prevMillis then
  local currentId = iterationId(schedulerId, prevMillis)
  if redis.call("EXISTS", P .. currentId) == 1 then
    removedPrev = removePending(currentId)
  end
end

local storedOffset = userOffset
if removedPrev then
  if every and not everyChanged then
    nextMillis = prevMillis
  end
else
  storedOffset = newOffset
end

local jobId = iterationId(schedulerId, nextMillis)
local collision = false
if redis.call("EXISTS", P .. jobId) == 1 then
  if every then
    local scanned = 0
    repeat
      nextMillis = nextMillis + every
      jobId = iterationId(schedulerId, nextMillis)
      scanned = scanned + 1
    until redis.call("EXISTS", P .. jobId) == 0 or scanned >= 32
    if redis.call("EXISTS", P .. jobId) == 1 then
      return {-11}
    end
  else
    collision = true
  end
end
if collision and not removedPrev then
  return {-10}
end

local delay = nextMillis - now
if delay < 0 then
  delay = 0
end

-- the scheduler hash, rebuilt (iteration count and, when none is given, the offset are kept)
redis.call("ZADD", P .. "repeat", fmtInt(nextMillis), schedulerId)
local hash = {"name", ARGV[2]}
local function put(field, value)
  if value then
    table.insert(hash, field)
    table.insert(hash, value)
  end
end
put("tz", optArg(ARGV[6]))
put("limit", optArg(ARGV[7]))
put("pattern", optArg(ARGV[5]))
put("startDate", optArg(ARGV[8]))
put("endDate", optArg(ARGV[9]))
put("every", optArg(ARGV[4]))
if storedOffset then
  put("offset", fmtInt(storedOffset))
else
  local kept = redis.call("HGET", schedulerKey, "offset")
  if kept then
    put("offset", fmtInt(tonumber(kept)))
  end
end
if ARGV[12] ~= "{}" and ARGV[12] ~= "" then
  put("opts", ARGV[12])
end
if ARGV[11] ~= "{}" and ARGV[11] ~= "" then
  put("data", ARGV[11])
end
put("ic", redis.call("HGET", schedulerKey, "ic") or "1")
redis.call("DEL", schedulerKey)
redis.call("HSET", schedulerKey, unpack(hash))

redis.call("INCR", P .. "id")
addIteration(P, maxLen, schedulerId, jobId, ARGV[2], ARGV[11], cjson.decode(ARGV[13]), now, delay)
return {jobId, delay}
