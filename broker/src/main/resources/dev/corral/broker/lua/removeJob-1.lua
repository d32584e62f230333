--[[
  Removes a job and, optionally, its children (BullMQ's removeJob). Refuses when the job, or with
  removeChildren a pending descendant, holds a lock. The job is detached from its parent first: a parent
  left without pending dependencies in waiting-children is released. Children (in :processed, :failed,
  :unsuccessful and :dependencies, possibly in other queues) are removed in their own queues.

  KEYS[1]  P (touches every state key of P, P events, P meta, P repeat, P de:<id>, P dn:<id>, P<jobId> and its
           sub-keys, the parent's and children's keys in their queues)

  ARGV[1]  job id
  ARGV[2]  remove children "1" | "0"
  ARGV[3]  now (ms), for a released parent's delay

  Output: {1} removed | {0} locked | {-8} the job is a job scheduler's current iteration
  Events: removed (prev completed|waiting-children|delayed|failed|prioritized|wait|paused|active|unknown)
          per removed job, in its queue; waiting (prev waiting-children) on a released parent.
]]
local P = KEYS[1]
local jobId = ARGV[1]
local removeChildren = ARGV[2] == "1"
local now = tonumber(ARGV[3])

-- @include "common"
-- @include "parents"
-- @include "removal"

-- The child keys of a parent: pending, processed, ignored and failed ones.
local function childKeys(jobKey)
  local keys = redis.call("SMEMBERS", jobKey .. ":dependencies")
  for _, k in ipairs(redis.call("HKEYS", jobKey .. ":processed")) do table.insert(keys, k) end
  for _, k in ipairs(redis.call("HKEYS", jobKey .. ":failed")) do table.insert(keys, k) end
  for _, k in ipairs(redis.call("ZRANGE", jobKey .. ":unsuccessful", 0, -1)) do table.insert(keys, k) end
  return keys
end

local function isLocked(jobKey)
  if redis.call("EXISTS", jobKey .. ":lock") == 1 then
    return true
  end
  if removeChildren then
    for _, childKey in ipairs(redis.call("SMEMBERS", jobKey .. ":dependencies")) do
      if isLocked(childKey) then
        return true
      end
    end
  end
  return false
end

-- Takes the id out of whichever state key holds it; returns that state's name.
local function removeFromState(Q, id)
  for _, set in ipairs({"completed", "waiting-children", "delayed", "failed", "prioritized"}) do
    if redis.call("ZREM", Q .. set, id) == 1 then
      return set
    end
  end
  for _, list in ipairs({"wait", "paused", "active"}) do
    if redis.call("LREM", Q .. list, 0, id) > 0 then
      if list == "active" then
        redis.call("SREM", Q .. "stalled", id)
      end
      return list
    end
  end
  return "unknown"
end

local function removeTree(Q, id)
  local jobKey = Q .. id
  if removeChildren then
    for _, childKey in ipairs(childKeys(jobKey)) do
      local CQ, childId = splitJobKey(Q, childKey)
      if CQ then
        removeTree(CQ, childId)
      end
    end
  end
  local prev = removeFromState(Q, id)
  purgeJob(Q, id)
  emit(Q, maxEvents(Q), "removed", "jobId", id, "prev", prev)
end

if isSchedulerCurrentIteration(P, jobId) then
  return {-8}
end
if isLocked(P .. jobId) then
  return {0}
end
detachFromParent(P, jobId, "release", now)
removeTree(P, jobId)
return {1}
