--[[
  Adds a scheduler's next iteration when a worker takes the current one (BullMQ 6.7.0's updateJobScheduler,
  run from the worker's fetch): only when the taking job is still the scheduler's current iteration and the
  next one does not exist yet. An `every` scheduler's due time is computed here from P repeat; a pattern
  scheduler's comes from the client. The iteration takes the scheduler's name and template data.

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (touches P repeat, P repeat:<id>, P id, P meta, P wait,
           P prioritized, P pc, P delayed, P marker, P events, P de:<id>, P repeat:<id>:<millis>)

  ARGV[1]  scheduler id
  ARGV[2]  next millis (pattern) or "" (every)
  ARGV[3]  the next iteration's opts (JSON) without delay and jobId
  ARGV[4]  now (ms)
  ARGV[5]  producer job id (the iteration being taken)

  Output: {next iteration id}, or {} when nothing was added (no such scheduler, the producer is not its
          current iteration, the next iteration exists already: event duplicated).
  Events: added, waiting | delayed; duplicated.
]]
local P = KEYS[1]
local schedulerId = ARGV[1]
local now = tonumber(ARGV[4])

-- @include "common"
-- @include "adding"
-- @include "schedulers"

local prevMillis = redis.call("ZSCORE", P .. "repeat", schedulerId)
if not prevMillis then
  return {}
end
prevMillis = tonumber(prevMillis)
local schedulerKey = P .. "repeat:" .. schedulerId
local attrs = redis.call("HMGET", schedulerKey, "name", "data", "every", "startDate", "offset")
local opts = cjson.decode(ARGV[3])
local every = tonumber(attrs[3])
if not every and type(opts["repeat"]) == "table" and opts["repeat"]["every"] then
  every = tonumber(opts["repeat"]["every"])
end
local nextMillis = tonumber(optArg(ARGV[2]))
if every then
  local jobOffset = type(opts["repeat"]) == "table" and opts["repeat"]["offset"] or 0
  nextMillis = everyNextMillis(prevMillis, every, now, attrs[5] or jobOffset or 0, attrs[4])
end
if not nextMillis or ARGV[5] ~= iterationId(schedulerId, prevMillis) then
  return {}
end

local nextId = iterationId(schedulerId, nextMillis)
local maxLen = maxEvents(P)
if redis.call("EXISTS", P .. nextId) == 1 then
  emit(P, maxLen, "duplicated", "jobId", nextId)
  return {}
end
redis.call("ZADD", P .. "repeat", fmtInt(nextMillis), schedulerId)
redis.call("HINCRBY", schedulerKey, "ic", "1")
redis.call("INCR", P .. "id")
local delay = nextMillis - now
if delay < 0 then
  delay = 0
end
addIteration(P, maxLen, schedulerId, nextId, attrs[1], attrs[2] or "{}", opts, now, delay)
return {nextId}
