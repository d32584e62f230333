--[[
  Deletes a paused queue and all its jobs, one batch per call (BullMQ's obliterate); the caller pauses the
  queue first and calls again while the reply is 1. Jobs are deleted from active (with their locks),
  delayed, completed, wait, the legacy paused list, prioritized and failed; each is taken out of its
  parent's dependencies, and a parent in this queue left without dependencies is deleted too (that is the
  only way waiting-children empties: it is not iterated). Job schedulers (P repeat, P repeat:<id>) go in the
  first batch. When nothing is left, the queue keys go: events, delay, stalled-check, stalled, id, pc,
  marker, meta and the four metrics keys. P limiter is kept, as BullMQ does.

  KEYS[1]  P (touches every key of the queue but P limiter; parents' :dependencies in other queues)

  ARGV[1]  batch size: the most jobs deleted by this call
  ARGV[2]  "force" to delete active jobs too, or ""

  Output: {1} more to do | {0} done | {-1} the queue is not paused | {-2} active jobs and no force
  Events: none (the events stream itself is deleted).
]]
local P = KEYS[1]
local budget = tonumber(ARGV[1])
local force = ARGV[2] == "force"

-- @include "common"
-- @include "parents"
-- @include "removal"

if redis.call("HEXISTS", P .. "meta", "paused") == 0 then
  return {-1}
end
if not force and redis.call("LLEN", P .. "active") > 0 then
  return {-2}
end

local function deleteJobs(key, ids, isList)
  for _, jobId in ipairs(ids) do
    detachFromParent(P, jobId, "hard", 0)
    purgeJob(P, jobId)
  end
  -- the ids were read from the consuming end of a list, or the lowest scores of a zset
  if isList then
    redis.call("LTRIM", key, 0, -(#ids + 1))
  else
    redis.call("ZREMRANGEBYRANK", key, 0, #ids - 1)
  end
  budget = budget - #ids
end

-- schedulers first, so no iteration is re-created while we delete
local schedulers = redis.call("ZRANGE", P .. "repeat", 0, -1)
for _, scheduler in ipairs(schedulers) do
  redis.call("DEL", P .. "repeat:" .. scheduler)
end
redis.call("DEL", P .. "repeat")

local order = {
  {"active", true}, {"delayed", false}, {"completed", false}, {"wait", true}, {"paused", true},
  {"prioritized", false}, {"failed", false},
}
for _, entry in ipairs(order) do
  local key, isList = P .. entry[1], entry[2]
  while budget > 0 do
    local ids
    if isList then
      ids = redis.call("LRANGE", key, -budget, -1)
    else
      ids = redis.call("ZRANGE", key, 0, budget - 1)
    end
    if #ids == 0 then break end
    deleteJobs(key, ids, isList)
  end
  if budget <= 0 then
    return {1}
  end
end

redis.call("DEL", P .. "events", P .. "delay", P .. "stalled-check", P .. "stalled", P .. "id", P .. "pc",
  P .. "marker", P .. "meta", P .. "metrics:completed", P .. "metrics:completed:data", P .. "metrics:failed",
  P .. "metrics:failed:data")
return {0}
