--[[
  Storing new jobs, duplicate custom ids and deduplication: shared by addJobs and addFlow.
  Needs common.lua and parents.lua. P is the base key of the queue the job is added to.
]]

-- An existing custom id: nothing changes but the parent link (BullMQ's duplicate handling). A completed job
-- records its return value in the new parent, which is released at once unless deferRelease (a flow releases
-- its parents once the whole tree is stored).
local function linkDuplicateToParent(P, jobId, parentKey, parentJson, now, deferRelease)
  local jobKey = P .. jobId
  local parent = parentOf(parentJson)
  if parent == nil then
    return
  end
  local completedValue = nil
  if redis.call("ZSCORE", P .. "completed", jobId) then
    completedValue = redis.call("HGET", jobKey, "returnvalue") or "null"
  end
  if completedValue then
    redis.call("HSET", parentKey .. ":processed", jobKey, completedValue)
    if not deferRelease then
      releaseParentIfReady(parent.queueKey .. ":", parent.id, now)
    end
  else
    redis.call("SADD", parentKey .. ":dependencies", jobKey)
  end
  redis.call("HSET", jobKey, "parentKey", parentKey, "parent", parentJson)
end

-- Sets P de:<dedupId> to jobId, with the ttl when there is one.
local function claimDedupKey(dedupKey, jobId, ttl)
  if ttl then
    redis.call("SET", dedupKey, jobId, "PX", ttl)
  else
    redis.call("SET", dedupKey, jobId)
  end
end

-- Returns the owning job id when the add is deduplicated, else nil (and claims the key for newId).
-- As BullMQ 6.7.0: a key is stale (taken over) only when it has no expiry and its job hash is gone, so a
-- throttle key blocks for its whole ttl even after its job was removed; replace (debounce) only replaces a
-- still-delayed owner and otherwise returns it silently (no event, no ttl refresh).
local function deduplicate(P, maxLen, dedupId, ttl, extend, replace, newId)
  local dedupKey = P .. "de:" .. dedupId
  local owner = redis.call("GET", dedupKey)
  if owner and redis.call("PTTL", dedupKey) == -1 and redis.call("EXISTS", P .. owner) == 0 then
    owner = nil
  end
  if owner and replace then
    if redis.call("ZREM", P .. "delayed", owner) == 0 then
      return owner
    end
    deleteJobKeys(P .. owner)
    emit(P, maxLen, "removed", "jobId", owner, "prev", "delayed")
    emit(P, maxLen, "deduplicated", "jobId", newId, "deduplicationId", dedupId, "deduplicatedJobId", owner)
    if ttl and not extend then
      redis.call("SET", dedupKey, newId, "KEEPTTL")
    else
      claimDedupKey(dedupKey, newId, ttl)
    end
    return nil
  end
  if owner then
    if extend and ttl then
      redis.call("SET", dedupKey, owner, "PX", ttl)
    end
    emit(P, maxLen, "deduplicated", "jobId", owner, "deduplicationId", dedupId, "deduplicatedJobId", newId)
    return owner
  end
  claimDedupKey(dedupKey, newId, ttl)
  return nil
end

-- Stores a new job's hash (with parentKey/parent and deid when given), emits "added", and enqueues it: in
-- waiting-children (a flow parent), delayed, or wait/prioritized; then links it into its parent's pending
-- dependencies. Returns true when the job is ready: the caller adds the marker and trims the events.
local function storeJob(P, maxLen, jobId, name, data, opts, timestamp, delay, priority, lifo, parentKey,
    parentJson, dedupId, waitsForChildren)
  local jobKey = P .. jobId
  local hash = {"name", name, "data", data, "opts", opts, "timestamp", fmtInt(timestamp), "delay", fmtInt(delay),
    "priority", fmtInt(priority)}
  if parentKey ~= "" then
    table.insert(hash, "parentKey"); table.insert(hash, parentKey)
    table.insert(hash, "parent"); table.insert(hash, parentJson)
  end
  if dedupId ~= "" then
    table.insert(hash, "deid"); table.insert(hash, dedupId)
  end
  redis.call("HSET", jobKey, unpack(hash))
  emitUntrimmed(P, "added", "jobId", jobId, "name", name)

  local ready = false
  if waitsForChildren then
    redis.call("ZADD", P .. "waiting-children", timestamp, jobId)
    emit(P, maxLen, "waiting-children", "jobId", jobId)
  elseif delay > 0 then
    pushDelayed(P, maxLen, jobId, timestamp + delay)
  else
    pushReady(P, jobId, priority, lifo)
    ready = true
    emitUntrimmed(P, "waiting", "jobId", jobId)
  end
  if parentKey ~= "" then
    redis.call("SADD", parentKey .. ":dependencies", jobKey)
  end
  return ready
end
