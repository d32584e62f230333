--[[
  Deleting jobs: shared by remove, clean, drain and obliterate. Needs common.lua and parents.lua.
  A job key is "<prefix>:<queue>:<jobId>"; P is the base key of the queue the job lives in.
]]

-- True when jobId is the pending iteration of a job scheduler: its rjk names a scheduler in P repeat and
-- the id is "repeat:<schedulerId>:<next millis>".
local function isSchedulerCurrentIteration(P, jobId)
  local scheduler = redis.call("HGET", P .. jobId, "rjk")
  if not scheduler then
    return false
  end
  local next = redis.call("ZSCORE", P .. "repeat", scheduler)
  return next ~= false and next ~= nil and jobId == "repeat:" .. scheduler .. ":" .. fmtInt(tonumber(next))
end

-- The ids of every scheduler's current iteration, as a set (table id -> true).
local function schedulerIterations(P)
  local iterations = {}
  local schedulers = redis.call("ZRANGE", P .. "repeat", 0, -1, "WITHSCORES")
  for i = 1, #schedulers, 2 do
    iterations["repeat:" .. schedulers[i] .. ":" .. fmtInt(tonumber(schedulers[i + 1]))] = true
  end
  return iterations
end

-- Splits a child's full job key into its queue base key and id. A key under the same prefix as P is cut
-- after the prefix and the queue name (so prefixes may contain ':'); otherwise after the first two ':'.
local function splitJobKey(P, jobKey)
  local prefix = string.match(P, "^(.*):[^:]*:$")
  local rest
  if prefix and string.sub(jobKey, 1, #prefix + 1) == prefix .. ":" then
    rest = string.sub(jobKey, #prefix + 2)
  else
    prefix, rest = string.match(jobKey, "^([^:]*):(.*)$")
  end
  local queue, id = string.match(rest or "", "^([^:]*):(.+)$")
  if not prefix or not queue then
    return nil, nil
  end
  return prefix .. ":" .. queue .. ":", id
end

-- Deletes the deduplication key when it still points to this job, and with it the job a keepLastIfActive add
-- kept to run after it (P dn:<dedupId>), as BullMQ 6.7.0's removal does.
local function removeDedupKey(P, jobId, dedupId)
  if dedupId then
    local dedupKey = P .. "de:" .. dedupId
    if redis.call("GET", dedupKey) == jobId then
      redis.call("DEL", dedupKey, P .. "dn:" .. dedupId)
    end
  end
end

-- Deletes a job's hash, sub-keys, lock and dedup keys (removeDedupKey); the caller removes its id from the state key.
local function purgeJob(P, jobId)
  local jobKey = P .. jobId
  removeDedupKey(P, jobId, redis.call("HGET", jobKey, "deid"))
  deleteJobKeys(jobKey)
  redis.call("DEL", jobKey .. ":lock")
end

-- Takes the job out of its parent's pending dependencies. mode:
--   "release": a parent left without dependencies in waiting-children goes to wait (remove, clean; see
--              detachDeletedChild in parents.lua);
--   "quiet":   only the SREM, no parent moves and no events (drain);
--   "hard":    a parent in the same queue left without dependencies is deleted too (obliterate).
local function detachFromParent(P, jobId, mode, now)
  local jobKey = P .. jobId
  local fields = redis.call("HMGET", jobKey, "parentKey", "parent")
  local parentKey = fields[1]
  local parent = parentOf(fields[2])
  if not parentKey or not parent then
    return
  end
  if mode == "release" then
    detachDeletedChild(jobKey, parentKey, fields[2])
    return
  end
  if redis.call("SREM", parentKey .. ":dependencies", jobKey) == 0 then
    return
  end
  local PQ = parent.queueKey .. ":"
  if mode == "hard" and PQ == P and redis.call("SCARD", parentKey .. ":dependencies") == 0 then
    detachFromParent(P, parent.id, mode, now)
    redis.call("ZREM", P .. "waiting-children", parent.id)
    purgeJob(P, parent.id)
  end
end
