--[[
  Submits a DAG execution atomically (docs/dag.md): the execution record, node table, state / pending
  hashes, ready list, index zsets, idempotency key, queue counters, and every node as an ordinary BullMQ job
  in its queue (the fields addJobs writes plus dagKey and dagNode). Roots are released like Queue.add (wait,
  prioritized or delayed) up to the parallelism, the other roots queue in E:ready; nodes with dependencies
  are held in their queue's waiting-children. Either everything is written or, on a conflict, nothing.

  KEYS[1]  D, the DAG base key "<p>:dag:" (touches D<execId> and its sub-keys, D index, D status:running,
           D workflow:<id>, D live, D jobs, D idem:<key>, D queues, D stream, and in each node queue Q: Q id, Q meta, Q wait,
           Q prioritized, Q pc, Q delayed, Q waiting-children, Q marker, Q events, Q<jobId>)

  ARGV[1]  execution id
  ARGV[2]  now (ms)
  ARGV[3]  workflow id
  ARGV[4]  workflow name or ""
  ARGV[5]  parallelism (0 = unlimited)
  ARGV[6]  default failure policy: fail | continue | skip
  ARGV[7]  retention after the end (s)
  ARGV[8]  idempotency key or ""
  ARGV[9]  number of nodes n; then n groups of 12 values:
    +1  node id
    +2  queue base key "<p>:<queue>:"
    +3  custom job id, or "" for an auto id (INCR Q id)
    +4  job name
    +5  data (JSON)
    +6  opts (JSON, BullMQ's keys)
    +7  timestamp (ms)
    +8  delay (ms)
    +9  priority (0 = none)
    +10 lifo "1" | "0"
    +11 number of dependencies
    +12 node table entry without '{' and job id: "queue":..,"deps":[..],"dependents":[..],"policy":..}

  Output: {0, execId} submitted | {1, existingExecId} idempotency key known, nothing written
          | {-20, execId} execution id taken | {-21, nodeId, jobId} custom job id taken in the node's queue
  Events: per node in its queue: added, then waiting | delayed (released root) or waiting-children;
          D stream: execution-started, node-released per released root.
]]
local D = KEYS[1]
local execId = ARGV[1]
local now = tonumber(ARGV[2])
local workflowId = ARGV[3]
local parallelism = tonumber(ARGV[5])
local idemKey = ARGV[8]
local n = tonumber(ARGV[9])
local HEADER = 9
local STRIDE = 12
local E = D .. execId

-- @include "common"
-- @include "parents"
-- @include "dag"

local function field(i, k)
  return ARGV[HEADER + (i - 1) * STRIDE + k]
end

-- Checks that depend on Redis state, before anything is written.
if idemKey ~= "" then
  local existing = redis.call("GET", D .. "idem:" .. idemKey)
  if existing then
    return {1, existing}
  end
end
if redis.call("EXISTS", E, E .. ":nodes", E .. ":state") > 0 then
  return {-20, execId}
end
for i = 1, n do
  local customId = field(i, 3)
  if customId ~= "" and redis.call("EXISTS", field(i, 2) .. customId) == 1 then
    return {-21, field(i, 1), customId}
  end
end

dagEmit(E, "execution-started", "workflowId", workflowId, "total", n)

-- Bookkeeping writes are collected and sent in chunks (one call per ~500 fields instead of one per node).
local CHUNK = 1000
local function callChunked(command, key, values)
  for i = 1, #values, CHUNK do
    redis.call(command, key, unpack(values, i, math.min(i + CHUNK - 1, #values)))
  end
end

-- Per queue: its events bound, whether a job became ready, the next auto id (one INCRBY for all its nodes,
-- taken in node order as one INCR per node would), and its waiting-children members.
local queues = {}
local queueList = {}
for i = 1, n do
  local Q = field(i, 2)
  local q = queues[Q]
  if not q then
    q = {maxLen = maxEvents(Q), ready = false, autoIds = 0, held = {}}
    queues[Q] = q
    queueList[#queueList + 1] = Q
  end
  if field(i, 3) == "" then
    q.autoIds = q.autoIds + 1
  end
end
for _, Q in ipairs(queueList) do
  local q = queues[Q]
  if q.autoIds > 0 then
    q.nextId = redis.call("INCRBY", Q .. "id", q.autoIds) - q.autoIds + 1
  end
end

local states, pending, nodeEntries, ready, jobIndex = {}, {}, {}, {}, {}
local released = 0
for i = 1, n do
  local nodeId = field(i, 1)
  local Q = field(i, 2)
  local q = queues[Q]
  local jobId = field(i, 3)
  if jobId == "" then
    jobId = fmtInt(q.nextId)
    q.nextId = q.nextId + 1
  end
  local name = field(i, 4)
  local timestamp = tonumber(field(i, 7))
  local delay = tonumber(field(i, 8))
  local priority = tonumber(field(i, 9))
  redis.call("HSET", Q .. jobId, "name", name, "data", field(i, 5), "opts", field(i, 6), "timestamp", timestamp,
    "delay", delay, "priority", priority, "dagKey", E, "dagNode", nodeId)
  emitUntrimmed(Q, "added", "jobId", jobId, "name", name)
  local deps = tonumber(field(i, 11))
  if deps == 0 and (parallelism == 0 or released < parallelism) then
    if delay > 0 then
      pushDelayed(Q, q.maxLen, jobId, timestamp + delay)
    else
      pushReady(Q, jobId, priority, field(i, 10) == "1")
      emitUntrimmed(Q, "waiting", "jobId", jobId)
      q.ready = true
    end
    states[#states + 1] = nodeId
    states[#states + 1] = "released"
    released = released + 1
    dagEmit(E, "node-released", "node", nodeId, "queue", Q, "jobId", jobId)
  else
    q.held[#q.held + 1] = timestamp
    q.held[#q.held + 1] = jobId
    emitUntrimmed(Q, "waiting-children", "jobId", jobId)
    states[#states + 1] = nodeId
    states[#states + 1] = "held"
    if deps == 0 then
      ready[#ready + 1] = nodeId
    else
      pending[#pending + 1] = nodeId
      pending[#pending + 1] = deps
    end
  end
  nodeEntries[#nodeEntries + 1] = nodeId
  nodeEntries[#nodeEntries + 1] = '{"jobId":' .. cjson.encode(jobId) .. ',' .. field(i, 12)
  jobIndex[#jobIndex + 1] = Q .. jobId
  jobIndex[#jobIndex + 1] = execId .. " " .. nodeId
end
callChunked("HSET", E .. ":state", states)
callChunked("HSET", E .. ":nodes", nodeEntries)
callChunked("HSET", D .. "jobs", jobIndex)
callChunked("HSET", E .. ":pending", pending)
callChunked("RPUSH", E .. ":ready", ready)
for _, Q in ipairs(queueList) do
  callChunked("ZADD", Q .. "waiting-children", queues[Q].held)
end

redis.call("HSET", E, "status", "running", "workflowId", workflowId, "workflowName", ARGV[4],
  "parallelism", parallelism, "policy", ARGV[6], "createdAt", now, "startedAt", now, "retention", ARGV[7],
  "idempotencyKey", idemKey, "total", n, "held", n - released, "released", released, "completed", 0,
  "failed", 0, "skipped", 0, "cancelled", 0, "queues", cjson.encode(queueList))
redis.call("ZADD", D .. "index", now, execId)
redis.call("ZADD", D .. "status:running", now, execId)
redis.call("ZADD", D .. "live", now, execId)
redis.call("ZADD", D .. "workflow:" .. workflowId, now, execId)
if idemKey ~= "" then
  redis.call("SET", D .. "idem:" .. idemKey, execId)
end
for _, Q in ipairs(queueList) do
  redis.call("HINCRBY", D .. "queues", Q, 1)
  if queues[Q].ready then
    addBaseMarkerIfReady(Q)
  end
  redis.call("XTRIM", Q .. "events", "MAXLEN", "~", queues[Q].maxLen)
end
return {0, execId}
