--[[
  Storing new jobs, duplicate custom ids and deduplication: shared by addJobs and addFlow; moveToFinished uses
  addKeptDedupJob (and what it needs) to add a job kept by keepLastIfActive. Needs common.lua, and parents.lua
  for linkDuplicateToParent. P is the base key of the queue the job is added to.
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

-- keepLastIfActive while the owner is active: the add is kept in P dn:<dedupId> (replacing any earlier one) to
-- be added when the owner finishes, the dedup key loses its ttl (so it cannot expire while the owner runs), and
-- "deduplicated" is written. Returns false (nothing written) when the mode is off or the owner is not active.
local function keepLastWhileOwnerActive(P, maxLen, dedup, owner, newId, job)
  if not dedup.keepLastIfActive or not redis.call("LPOS", P .. "active", owner) then
    return false
  end
  local nextKey = P .. "dn:" .. dedup.id
  local fields = {"name", job.name, "data", job.data, "opts", job.opts, "jid", newId}
  if job.parentKey ~= "" then
    table.insert(fields, "pk"); table.insert(fields, job.parentKey)
    table.insert(fields, "pd"); table.insert(fields, job.parentJson)
    table.insert(fields, "pdk"); table.insert(fields, job.parentKey .. ":dependencies")
  end
  redis.call("DEL", nextKey)
  redis.call("HSET", nextKey, unpack(fields))
  redis.call("PERSIST", P .. "de:" .. dedup.id)
  emit(P, maxLen, "deduplicated", "jobId", owner, "deduplicationId", dedup.id, "deduplicatedJobId", newId)
  return true
end

-- Returns the owning job id when the add is deduplicated, else nil (and claims the key for newId).
-- dedup: {id, ttl (ms or nil), extend, replace, reschedule, keepLastIfActive}; job: {name, data, opts,
-- timestamp, delay, parentKey, parentJson} of the add. As BullMQ 6.7.0:
--   a key is stale (taken over, its P dn: dropped) only when it has no expiry and its job hash is gone, so a
--   throttle key blocks for its whole ttl even after its job was removed;
--   replace (debounce) only replaces a still-delayed owner (dropping its P dn:) and otherwise returns it
--   silently (no event, no ttl refresh) unless keepLastIfActive keeps the add for an active owner;
--   reschedule (ignored with replace) moves a delayed owner to the add's timestamp + delay, after the
--   "deduplicated" event, without touching the key's ttl;
--   keepLastIfActive: the key never gets a ttl (the ttl only picks the extend path), and an add while the
--   owner is active is kept in P dn:<id> (keepLastWhileOwnerActive) instead of being dropped.
local function deduplicate(P, maxLen, dedup, newId, job)
  local dedupKey = P .. "de:" .. dedup.id
  local ttl = dedup.ttl
  if dedup.keepLastIfActive then
    ttl = nil
  end
  local owner = redis.call("GET", dedupKey)
  if owner and redis.call("PTTL", dedupKey) == -1 and redis.call("EXISTS", P .. owner) == 0 then
    redis.call("DEL", P .. "dn:" .. dedup.id)
    owner = nil
  end
  if owner and dedup.replace then
    if redis.call("ZREM", P .. "delayed", owner) == 0 then
      keepLastWhileOwnerActive(P, maxLen, dedup, owner, newId, job)
      return owner
    end
    deleteJobKeys(P .. owner)
    emit(P, maxLen, "removed", "jobId", owner, "prev", "delayed")
    emit(P, maxLen, "deduplicated", "jobId", newId, "deduplicationId", dedup.id, "deduplicatedJobId", owner)
    redis.call("DEL", P .. "dn:" .. dedup.id)
    if ttl and not dedup.extend then
      redis.call("SET", dedupKey, newId, "KEEPTTL")
    else
      claimDedupKey(dedupKey, newId, ttl)
    end
    return nil
  end
  if owner then
    if keepLastWhileOwnerActive(P, maxLen, dedup, owner, newId, job) then
      return owner
    end
    if dedup.extend and dedup.ttl then
      claimDedupKey(dedupKey, owner, ttl)
    end
    emit(P, maxLen, "deduplicated", "jobId", owner, "deduplicationId", dedup.id, "deduplicatedJobId", newId)
    if dedup.reschedule and redis.call("ZSCORE", P .. "delayed", owner) then
      redis.call("HSET", P .. owner, "delay", fmtInt(job.delay))
      pushDelayed(P, maxLen, owner, job.timestamp + job.delay)
    end
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

-- keepLastIfActive, when a job with deid dedupId finishes (moveToFinished): the job kept in P dn:<dedupId> is
-- added as BullMQ 6.7.0's requeue does, before the finished job's own events: INCR P id is always counted, the
-- id is the stored jid (the counter only when there is none), the timestamp is now, and delay, priority, lifo
-- and deid come from the stored opts (text kept as stored). P de:<dedupId> is set to the new job (without a
-- ttl in keepLastIfActive mode, else with the stored ttl), whoever held it. P dn: is deleted last.
local function addKeptDedupJob(P, maxLen, dedupId, now)
  local nextKey = P .. "dn:" .. dedupId
  local kept = redis.call("HMGET", nextKey, "name", "data", "opts", "jid", "pk", "pd", "pdk", "rjk")
  local counter = redis.call("INCR", P .. "id")
  local jobId = kept[4] or fmtInt(counter)
  local opts = cjson.decode(kept[3])
  local de = type(opts.de) == "table" and opts.de or {}
  local ttl = tonumber(de.ttl)
  if de.keepLastIfActive == true or (ttl and ttl <= 0) then
    ttl = nil
  end
  claimDedupKey(P .. "de:" .. dedupId, jobId, ttl)
  local parentKey, parentJson = "", ""
  if kept[5] and kept[6] then
    parentKey, parentJson = kept[5], kept[6]
  end
  if storeJob(P, maxLen, jobId, kept[1], kept[2], kept[3], now, tonumber(opts.delay) or 0,
      tonumber(opts.priority) or 0, opts.lifo == true, parentKey, parentJson,
      type(de.id) == "string" and de.id or "", false) then
    addBaseMarkerIfReady(P)
  end
  if kept[8] then
    redis.call("HSET", P .. jobId, "rjk", kept[8])
  end
  redis.call("DEL", nextKey)
end
