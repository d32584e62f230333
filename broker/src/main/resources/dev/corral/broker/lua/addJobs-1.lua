--[[
  Adds one or more jobs atomically (Queue.add and Queue.addBulk), storing each exactly as BullMQ 6.7.0's
  add scripts do: standard (wait), prioritized, delayed, or flow parent (waiting-children).

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (touches P id, P meta, P wait, P prioritized, P pc,
           P delayed, P marker, P events, P waiting-children, P de:<id>, P dn:<id>, P<jobId>, parents'
           :dependencies)

  ARGV[1]  number of jobs n; then n groups of 17 values:
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
    +13 deduplication reschedule "1"|"0"
    +14 deduplication keepLastIfActive "1"|"0"
    +15 parent job key (full key) or ""
    +16 parent JSON {"id","queueKey"[,policy flag]} or ""
    +17 "1" when the job is a flow parent that waits for its children (goes to waiting-children)

  Output: the job ids, in order (an existing id for a duplicate or deduplicated add);
          or {code, index} with code -5 (parent missing) or -7 (parent cannot be replaced) for the
          1-based job index; nothing is written in that case.

  Events: added, waiting | delayed | waiting-children, duplicated, deduplicated, removed (debounce), delayed
          (reschedule: the owner's new due time).
]]
local P = KEYS[1]
local STRIDE = 17
local n = tonumber(ARGV[1])

-- @include "common"
-- @include "parents"
-- @include "adding"

local function field(i, k)
  return ARGV[1 + (i - 1) * STRIDE + k]
end

-- Validation pass: nothing is written unless every job can be added.
for i = 1, n do
  local parentKey = field(i, 15)
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
  local parentKey = field(i, 15)
  local parentJson = field(i, 16)
  local counter = firstCounter + i
  local jobId = customId
  if jobId == "" then
    jobId = fmtInt(counter)
  end
  local jobKey = P .. jobId

  if customId ~= "" and redis.call("EXISTS", jobKey) == 1 then
    if parentKey ~= "" then
      linkDuplicateToParent(P, jobId, parentKey, parentJson, timestamp, false)
    end
    emit(P, maxLen, "duplicated", "jobId", jobId)
    ids[i] = jobId
  else
    local dedupId = field(i, 9)
    local owner = nil
    if dedupId ~= "" then
      local dedup = {id = dedupId, ttl = tonumber(field(i, 10)), extend = field(i, 11) == "1",
        replace = field(i, 12) == "1", reschedule = field(i, 13) == "1", keepLastIfActive = field(i, 14) == "1"}
      owner = deduplicate(P, maxLen, dedup, jobId, {name = name, data = field(i, 3), opts = field(i, 4),
        timestamp = timestamp, delay = delay, parentKey = parentKey, parentJson = parentJson})
    end
    if owner then
      ids[i] = owner
    else
      if storeJob(P, maxLen, jobId, name, field(i, 3), field(i, 4), timestamp, delay, priority, field(i, 8) == "1",
          parentKey, parentJson, dedupId, field(i, 17) == "1") then
        anyReady = true
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
