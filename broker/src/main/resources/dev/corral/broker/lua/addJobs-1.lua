--[[
  Adds one or more jobs atomically (Queue.add and Queue.addBulk), storing each exactly as BullMQ 6.7.0's
  add scripts do: standard (wait), prioritized, delayed, or flow parent (waiting-children).

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (touches P id, P meta, P wait, P prioritized, P pc,
           P delayed, P marker, P events, P waiting-children, P de:<id>, P<jobId>, parents' :dependencies)

  ARGV[1]  number of jobs n; then n groups of 15 values:
    +1  custom job id, or "" for an auto id (INCR P id)
    +2  name
    +3  data (JSON)
    +4  opts (JSON, BullMQ's compact keys)
    +5  timestamp (ms)
    +6  delay (ms, 0 = none)
    +7  priority (0 = none, 1..2097151)
    +8  lifo "1"|"0"
    +9  deduplication id or ""
    +10 deduplication ttl (ms) or ""
    +11 deduplication extend "1"|"0"
    +12 deduplication replace "1"|"0"
    +13 parent job key (full key) or ""
    +14 parent JSON {"id","queueKey"[,policy flag]} or ""
    +15 "1" when the job is a flow parent that waits for its children (goes to waiting-children)

  Output: the job ids, in order (an existing id for a duplicate or deduplicated add);
          or {code, index} with code -5 (parent missing) or -7 (parent cannot be replaced) for the
          1-based job index; nothing is written in that case.

  Events: added, waiting | delayed | waiting-children, duplicated, deduplicated, removed (debounce).
]]
local P = KEYS[1]
local STRIDE = 15
local n = tonumber(ARGV[1])

-- @include "common"
-- @include "parents"

local function field(i, k)
  return ARGV[1 + (i - 1) * STRIDE + k]
end

-- Validation pass: nothing is written unless every job can be added.
for i = 1, n do
  local parentKey = field(i, 13)
  if parentKey ~= "" then
    if redis.call("EXISTS", parentKey) == 0 then
      return {-5, i}
    end
    local customId = field(i, 1)
    if customId ~= "" then
      local existingParent = redis.call("HGET", P .. customId, "parentKey")
      if existingParent and existingParent ~= parentKey and redis.call("EXISTS", existingParent) == 1 then
        return {-7, i}
      end
    end
  end
end

local maxLen = maxEvents(P)

-- An existing custom id: nothing changes but the parent link (BullMQ's duplicate handling).
local function linkDuplicateToParent(jobId, parentKey, parentJson, now)
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
    releaseParentIfReady(parent.queueKey .. ":", parent.id, now)
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
local function deduplicate(dedupId, ttl, extend, replace, newId)
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

-- One INCRBY for the batch: job i gets counter firstCounter + i, as if each add had done its own INCR.
local firstCounter = redis.call("INCRBY", P .. "id", n) - n
local anyReady = false
local ids = {}
for i = 1, n do
  local customId = field(i, 1)
  local name = field(i, 2)
  local timestamp = tonumber(field(i, 5))
  local delay = tonumber(field(i, 6))
  local priority = tonumber(field(i, 7))
  local parentKey = field(i, 13)
  local parentJson = field(i, 14)
  local counter = firstCounter + i
  local jobId = customId
  if jobId == "" then
    jobId = fmtInt(counter)
  end
  local jobKey = P .. jobId

  if customId ~= "" and redis.call("EXISTS", jobKey) == 1 then
    if parentKey ~= "" then
      linkDuplicateToParent(jobId, parentKey, parentJson, timestamp)
    end
    emit(P, maxLen, "duplicated", "jobId", jobId)
    ids[i] = jobId
  else
    local dedupId = field(i, 9)
    local owner = nil
    if dedupId ~= "" then
      local ttl = tonumber(field(i, 10))
      owner = deduplicate(dedupId, ttl, field(i, 11) == "1", field(i, 12) == "1", jobId)
    end
    if owner then
      ids[i] = owner
    else
      local hash = {"name", name, "data", field(i, 3), "opts", field(i, 4), "timestamp", timestamp,
        "delay", delay, "priority", priority}
      if parentKey ~= "" then
        table.insert(hash, "parentKey"); table.insert(hash, parentKey)
        table.insert(hash, "parent"); table.insert(hash, parentJson)
      end
      if dedupId ~= "" then
        table.insert(hash, "deid"); table.insert(hash, dedupId)
      end
      redis.call("HSET", jobKey, unpack(hash))
      emitUntrimmed(P, "added", "jobId", jobId, "name", name)

      if field(i, 15) == "1" then
        redis.call("ZADD", P .. "waiting-children", timestamp, jobId)
        emit(P, maxLen, "waiting-children", "jobId", jobId)
      elseif delay > 0 then
        pushDelayed(P, maxLen, jobId, timestamp + delay)
      else
        pushReady(P, jobId, priority, field(i, 8) == "1")
        anyReady = true
        emitUntrimmed(P, "waiting", "jobId", jobId)
      end
      if parentKey ~= "" then
        redis.call("SADD", parentKey .. ":dependencies", jobKey)
      end
      ids[i] = jobId
    end
  end
end
-- Once per batch: the marker (pause and global concurrency cannot change inside the script) and the event
-- trim that BullMQ does on each "waiting" XADD (MAXLEN ~ trims whole stream nodes, so the stream keeps the
-- same bound).
if anyReady then
  addBaseMarkerIfReady(P)
  redis.call("XTRIM", P .. "events", "MAXLEN", "~", maxLen)
end
return ids
