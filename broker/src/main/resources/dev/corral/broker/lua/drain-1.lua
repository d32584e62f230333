--[[
  Deletes every job waiting to run (BullMQ's drain): wait, the legacy paused list and prioritized, and
  delayed when asked. A job scheduler's current iteration (repeat:<id>:<millis>) is kept, so the schedule
  goes on. Deleted jobs are taken out of their parent's pending dependencies, without moving the parent.

  KEYS[1]  P (touches P wait, P paused, P prioritized, P delayed, P repeat, P de:<id>, P dn:<id>, P<jobId> and its
           sub-keys, parents' :dependencies)

  ARGV[1]  also delayed "1" | "0"

  Output: {number of jobs deleted}
  Events: none.
]]
local P = KEYS[1]

-- @include "common"
-- @include "parents"
-- @include "removal"

local keep = schedulerIterations(P)
local deleted = 0

local function drainKey(key, ids)
  local kept = {}
  for _, jobId in ipairs(ids) do
    if keep[jobId] then
      table.insert(kept, jobId)
    else
      detachFromParent(P, jobId, "quiet", 0)
      purgeJob(P, jobId)
      deleted = deleted + 1
    end
  end
  return kept
end

for _, list in ipairs({"wait", "paused"}) do
  local key = P .. list
  local kept = drainKey(key, redis.call("LRANGE", key, 0, -1))
  redis.call("DEL", key)
  if #kept > 0 then
    redis.call("RPUSH", key, unpack(kept)) -- LRANGE order is kept
  end
end

local sets = {"prioritized"}
if ARGV[1] == "1" then
  table.insert(sets, "delayed")
end
for _, set in ipairs(sets) do
  local key = P .. set
  local ids = redis.call("ZRANGE", key, 0, -1)
  local kept = drainKey(key, ids)
  if #kept == 0 then
    redis.call("DEL", key)
  else
    for _, jobId in ipairs(ids) do
      if not keep[jobId] then
        redis.call("ZREM", key, jobId)
      end
    end
  end
end
return {deleted}
