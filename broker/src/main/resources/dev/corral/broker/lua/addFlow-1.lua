--[[
  Adds a flow (BullMQ's FlowProducer.add / addBulk): a forest of jobs, possibly in several queues and under
  several prefixes, stored atomically in one call. Each node is stored exactly as BullMQ 6.7.0 stores it: a
  node with children goes to waiting-children; a leaf to wait, prioritized or delayed; a child carries
  parentKey and parent and is listed in its parent's :dependencies. Once every node is stored, each parent
  left without pending dependencies (all its children already existed and had completed) is released, as
  BullMQ's releaseParentIfNoPendingDependencies does at the end of its flow transaction.

  KEYS[1]  the base key "<prefix>:<queue>:" of the first root's queue (routing only; every node names its own
           queue below, and touches that queue's id, meta, wait, prioritized, pc, delayed, marker, events,
           waiting-children, de:<id> and dn:<id> keys, its job keys, and its parent's :dependencies and :processed)

  ARGV[1]  now (ms), for releasing parents
  ARGV[2]  number of nodes n, parents before their children; then n groups of 18 values:
    +1  the node's queue base key P "<prefix>:<queue>:"
    +2  job id (custom, or a UUID chosen by the caller)
    +3  name
    +4  data (JSON)
    +5  opts (JSON, BullMQ's compact keys, with "parent":{"id","queue"} on a child)
    +6  timestamp (ms)
    +7  delay (ms, 0 = none)
    +8  priority (0 = none)
    +9  lifo "1"|"0"
    +10 deduplication id or ""
    +11 deduplication ttl (ms) or ""
    +12 deduplication extend "1"|"0"
    +13 deduplication replace "1"|"0"
    +14 deduplication reschedule "1"|"0"
    +15 deduplication keepLastIfActive "1"|"0" (the caller refuses it on a node with a parent or children)
    +16 parent job key (full key) or ""
    +17 parent JSON {"id","queueKey"[,"fpof"|"cpof"|"idof"|"rdof":true]} or ""
    +18 "1" when the node has children (goes to waiting-children)

  Output: the job ids, in node order (an existing id for a duplicate or deduplicated node);
          or {code, index} with code -5 (a parent outside the flow is missing) or -7 (a node's custom id
          belongs to another existing parent) for the 1-based node index; nothing is written in that case.

  Events (in each node's queue): added, waiting | delayed | waiting-children, duplicated, deduplicated,
          removed (debounce), delayed (reschedule); waiting (prev waiting-children) or delayed for a released parent.
]]
local STRIDE = 18
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])

-- @include "common"
-- @include "parents"
-- @include "adding"

local function field(i, k)
  return ARGV[2 + (i - 1) * STRIDE + k]
end

-- Validation pass: nothing is written unless every node can be added.
local inFlow = {}
for i = 1, n do
  local P = field(i, 1)
  local jobId = field(i, 2)
  local parentKey = field(i, 16)
  if parentKey ~= "" then
    if not inFlow[parentKey] and redis.call("EXISTS", parentKey) == 0 then
      return {-5, i}
    end
    local existingParent = redis.call("HGET", P .. jobId, "parentKey")
    if existingParent and existingParent ~= parentKey and redis.call("EXISTS", existingParent) == 1 then
      return {-7, i}
    end
  end
  inFlow[P .. jobId] = true
end

local maxLens = {}
local readyQueues = {}
local readyOrder = {}
local parents = {}
local parentOrder = {}
local ids = {}
for i = 1, n do
  local P = field(i, 1)
  local jobId = field(i, 2)
  local name = field(i, 3)
  local timestamp = tonumber(field(i, 6))
  local parentKey = field(i, 16)
  local parentJson = field(i, 17)
  local maxLen = maxLens[P]
  if not maxLen then
    maxLen = maxEvents(P)
    maxLens[P] = maxLen
  end
  -- BullMQ's add scripts count every add, custom id or not
  redis.call("INCR", P .. "id")

  if parentKey ~= "" and not parents[parentKey] then
    parents[parentKey] = parentJson
    table.insert(parentOrder, parentKey)
  end

  if redis.call("EXISTS", P .. jobId) == 1 then
    if parentKey ~= "" then
      linkDuplicateToParent(P, jobId, parentKey, parentJson, timestamp, true)
    end
    emit(P, maxLen, "duplicated", "jobId", jobId)
    ids[i] = jobId
  else
    local dedupId = field(i, 10)
    local owner = nil
    if dedupId ~= "" then
      local dedup = {id = dedupId, ttl = tonumber(field(i, 11)), extend = field(i, 12) == "1",
        replace = field(i, 13) == "1", reschedule = field(i, 14) == "1", keepLastIfActive = field(i, 15) == "1"}
      owner = deduplicate(P, maxLen, dedup, jobId, {name = name, data = field(i, 4), opts = field(i, 5),
        timestamp = timestamp, delay = tonumber(field(i, 7)), parentKey = parentKey, parentJson = parentJson})
    end
    if owner then
      ids[i] = owner
    else
      if storeJob(P, maxLen, jobId, name, field(i, 4), field(i, 5), timestamp, tonumber(field(i, 7)),
          tonumber(field(i, 8)), field(i, 9) == "1", parentKey, parentJson, dedupId, field(i, 18) == "1")
          and not readyQueues[P] then
        readyQueues[P] = true
        table.insert(readyOrder, P)
      end
      ids[i] = jobId
    end
  end
end

for _, P in ipairs(readyOrder) do
  addBaseMarkerIfReady(P)
  redis.call("XTRIM", P .. "events", "MAXLEN", "~", maxLens[P])
end

for _, parentKey in ipairs(parentOrder) do
  local parent = parentOf(parents[parentKey])
  if parent and redis.call("EXISTS", parentKey) == 1 then
    releaseParentIfReady(parent.queueKey .. ":", parent.id, now)
  end
end
return ids
