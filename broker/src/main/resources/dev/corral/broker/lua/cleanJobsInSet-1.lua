--[[
  Deletes the jobs of one state that are older than a cutoff (BullMQ's cleanJobsInSet), oldest first, up to
  a limit. The age of a job is:
    completed, failed:  finishedOn (the zset score);
    wait, paused:       the first of finishedOn, processedOn, timestamp;
    active:             the same, and only jobs without a lock;
    delayed:            processedOn, else timestamp;
    prioritized:        timestamp.
  An id whose hash is gone has no age and is always deleted. A job scheduler's current iteration is never
  deleted. Each deleted job is detached from its parent (a parent left without pending dependencies in
  waiting-children is released) and loses its deduplication keys; its children are left alone.

  KEYS[1]  P (touches P <state>, P events, P meta, P repeat, P stalled, P de:<id>, P dn:<id>, P<jobId> and its
           sub-keys, parents' keys)

  ARGV[1]  state: completed | failed | wait | paused | active | delayed | prioritized
  ARGV[2]  cutoff (ms): jobs whose age is <= cutoff are deleted
  ARGV[3]  limit: the most jobs to delete, 0 = no limit
  ARGV[4]  now (ms), for a released parent's delay

  Output: the deleted ids
  Events: cleaned (count).
]]
local P = KEYS[1]
local state = ARGV[1]
local cutoff = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local setKey = P .. state
local BATCH = 1000

-- @include "common"
-- @include "parents"
-- @include "removal"

local ageFields = {
  wait = {"finishedOn", "processedOn", "timestamp"},
  paused = {"finishedOn", "processedOn", "timestamp"},
  active = {"finishedOn", "processedOn", "timestamp"},
  delayed = {"processedOn", "timestamp"},
  prioritized = {"timestamp"},
}

local function age(jobId)
  local values = redis.call("HMGET", P .. jobId, unpack(ageFields[state]))
  for _, v in ipairs(values) do
    if v then
      return tonumber(v)
    end
  end
  return nil
end

local function eligible(jobId)
  if isSchedulerCurrentIteration(P, jobId) then
    return false
  end
  if state == "completed" or state == "failed" then
    return true -- already selected by score
  end
  if state == "active" and redis.call("EXISTS", P .. jobId .. ":lock") == 1 then
    return false
  end
  local a = age(jobId)
  return a == nil or a <= cutoff
end

local isList = state == "wait" or state == "paused" or state == "active"
local deleted = {}

local function full()
  return limit > 0 and #deleted >= limit
end

local function consider(jobId)
  if eligible(jobId) then
    detachFromParent(P, jobId, "release", now)
    purgeJob(P, jobId)
    if isList then
      redis.call("LREM", setKey, 0, jobId)
      if state == "active" then
        redis.call("SREM", P .. "stalled", jobId)
      end
    else
      redis.call("ZREM", setKey, jobId)
    end
    table.insert(deleted, jobId)
  end
end

if state == "completed" or state == "failed" then
  local count = limit > 0 and limit or -1
  for _, jobId in ipairs(redis.call("ZRANGEBYSCORE", setKey, "-inf", cutoff, "LIMIT", 0, count)) do
    consider(jobId)
  end
elseif isList then
  -- oldest first: lists are consumed from the right-hand end; read a snapshot, then LREM the chosen ids
  local ids = redis.call("LRANGE", setKey, 0, -1)
  for i = #ids, 1, -1 do
    if full() then break end
    consider(ids[i])
  end
else
  local offset = 0
  while not full() do
    local ids = redis.call("ZRANGE", setKey, offset, offset + BATCH - 1)
    if #ids == 0 then break end
    local before = #deleted
    for _, jobId in ipairs(ids) do
      if full() then break end
      consider(jobId)
    end
    offset = offset + #ids - (#deleted - before)
  end
end

emit(P, maxEvents(P), "cleaned", "count", #deleted)
return deleted
