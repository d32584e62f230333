--[[
  DAG execution bookkeeping (docs/dag.md). E is an execution key "<p>:dag:<execId>" (its sub-keys are
  E:nodes, E:state, E:pending, E:ready); the DAG base "<p>:dag:" holds the index zsets, the queue counters,
  the event stream, "live" (executions not ended, what the sweep walks), "jobs" (job key -> "<execId> <node>"
  for nodes not yet final, to find the node of a job whose hash is gone) and "expiring" (ended executions by
  expiry time, to clean the index zsets). Needs common.lua and parents.lua (the release moves a job like a
  flow parent).
]]

local DAG_STREAM_MAXLEN = 10000

-- "<p>:dag:" of an execution key (execution ids contain no ':').
local function dagBase(E)
  return string.match(E, "^(.*:)[^:]*$")
end

local function dagExecId(E)
  return string.match(E, "([^:]*)$")
end

-- XADD <p>:dag:stream MAXLEN ~ 10000 * event <name> execId <id> [field value ...]
local function dagEmit(E, name, ...)
  redis.call("XADD", dagBase(E) .. "stream", "MAXLEN", "~", DAG_STREAM_MAXLEN, "*", "event", name,
    "execId", dagExecId(E), ...)
end

-- Decoded node table entries of this script call (entries never change after submission): a join with
-- thousands of dependencies is decoded once per call, not once per finished dependency.
local dagNodeCache = {}

-- The node table entry {jobId, queue, deps, dependents, policy}, or nil.
local function dagNode(E, nodeId)
  local cacheKey = E .. " " .. nodeId
  local node = dagNodeCache[cacheKey]
  if node then
    return node
  end
  local json = redis.call("HGET", E .. ":nodes", nodeId)
  if not json then
    return nil
  end
  node = cjson.decode(json)
  dagNodeCache[cacheKey] = node
  return node
end

-- Forgets the reverse entry (job key -> node) of a node that reached a final state.
local function dagForgetJob(E, node)
  redis.call("HDEL", dagBase(E) .. "jobs", node.queue .. node.jobId)
end

-- How a node's job stands: "completed" + return value, "failed" + reason (in the failed set: failed for
-- good), "gone" (no job hash), or nil while it is waiting, delayed or active.
local function dagJobOutcome(Q, jobId)
  if redis.call("ZSCORE", Q .. "completed", jobId) then
    return "completed", redis.call("HGET", Q .. jobId, "returnvalue") or "null"
  end
  if redis.call("ZSCORE", Q .. "failed", jobId) then
    return "failed", redis.call("HGET", Q .. jobId, "failedReason") or ""
  end
  if redis.call("EXISTS", Q .. jobId) == 0 then
    return "gone", nil
  end
  return nil, nil
end

-- Moves the execution to another status, keeping the status index zsets in step.
local function dagSetStatus(E, status)
  local D = dagBase(E)
  local execId = dagExecId(E)
  local rec = redis.call("HMGET", E, "status", "createdAt")
  redis.call("HSET", E, "status", status)
  redis.call("ZREM", D .. "status:" .. rec[1], execId)
  redis.call("ZADD", D .. "status:" .. status, tonumber(rec[2]) or 0, execId)
end

-- Releases a held node whose dependencies are done: its job leaves waiting-children and goes to delayed,
-- prioritized or the front of wait like a flow parent (parents.lua), with marker and "waiting" event.
local function dagReleaseNode(E, nodeId, now)
  local node = dagNode(E, nodeId)
  redis.call("HSET", E .. ":state", nodeId, "released")
  redis.call("HINCRBY", E, "held", -1)
  redis.call("HINCRBY", E, "released", 1)
  if redis.call("ZREM", node.queue .. "waiting-children", node.jobId) == 1 then
    moveParentToWait(node.queue, node.jobId, now)
  end
  dagEmit(E, "node-released", "node", nodeId, "queue", node.queue, "jobId", node.jobId)
end

-- Releases ready nodes (FIFO) while the execution runs and fewer than parallelism nodes are released.
local function dagFillSlots(E, now)
  local rec = redis.call("HMGET", E, "status", "parallelism", "released")
  if rec[1] ~= "running" then
    return
  end
  local parallelism = tonumber(rec[2]) or 0
  local released = tonumber(rec[3]) or 0
  while parallelism == 0 or released < parallelism do
    local nodeId = redis.call("LPOP", E .. ":ready")
    if not nodeId then
      return
    end
    if redis.call("HGET", E .. ":state", nodeId) == "held" then
      dagReleaseNode(E, nodeId, now)
      released = released + 1
    end
  end
end

-- A dependency finished as done for its dependents (completed, or failed under continue) at now (its
-- finishedOn): its result goes to each held dependent's job (:processed, or :failed), whose pending count
-- drops; at 0 it is ready. The dependent's dagReadyAt keeps the latest such now: a fetch never stamps the
-- dependent processed before it (fetch.lua), even when the fetch's own clock reading is older.
local function dagDependencyDone(E, node, outcome, value, now)
  local finishedKey = node.queue .. node.jobId
  for _, d in ipairs(node.dependents) do
    if redis.call("HGET", E .. ":state", d) == "held" then
      local dependent = dagNode(E, d)
      local dependentKey = dependent.queue .. dependent.jobId
      if outcome == "completed" then
        redis.call("HSET", dependentKey .. ":processed", finishedKey, value)
      else
        redis.call("HSET", dependentKey .. ":failed", finishedKey, value)
      end
      if (tonumber(redis.call("HGET", dependentKey, "dagReadyAt")) or 0) < now then
        redis.call("HSET", dependentKey, "dagReadyAt", fmtInt(now))
      end
      if redis.call("HINCRBY", E .. ":pending", d, -1) <= 0 then
        redis.call("HDEL", E .. ":pending", d)
        redis.call("RPUSH", E .. ":ready", d)
      end
    end
  end
end

-- Removes a node's job from its queue when no worker has taken it (waiting-children, wait, paused,
-- prioritized, delayed), with a "removed" event. True when removed or already gone; false when it is active
-- or finished.
local function dagRemoveUnstartedJob(node)
  local Q = node.queue
  local id = node.jobId
  if redis.call("EXISTS", Q .. id) == 0 then
    return true
  end
  local prev = nil
  for _, set in ipairs({"waiting-children", "prioritized", "delayed"}) do
    if not prev and redis.call("ZREM", Q .. set, id) == 1 then
      prev = set
    end
  end
  for _, list in ipairs({"wait", "paused"}) do
    if not prev and redis.call("LREM", Q .. list, 0, id) > 0 then
      prev = list
    end
  end
  if not prev then
    return false
  end
  deleteJobKeys(Q .. id)
  emit(Q, maxEvents(Q), "removed", "jobId", id, "prev", prev)
  return true
end

-- Marks a node that never ran as finished in state (skipped | cancelled).
local function dagMarkUnrun(E, nodeId, state, node)
  redis.call("HSET", E .. ":state", nodeId, state)
  redis.call("HDEL", E .. ":pending", nodeId)
  dagForgetJob(E, node)
  dagEmit(E, "node-finished", "node", nodeId, "state", state, "jobId", node.jobId)
end

-- Skips every node that depends, directly or transitively, on node; their held jobs are removed.
local function dagSkipDependents(E, node)
  local todo = {}
  for _, d in ipairs(node.dependents) do todo[#todo + 1] = d end
  local skipped = 0
  local i = 1
  while i <= #todo do
    local d = todo[i]
    i = i + 1
    if redis.call("HGET", E .. ":state", d) == "held" then
      local dependent = dagNode(E, d)
      dagRemoveUnstartedJob(dependent)
      redis.call("LREM", E .. ":ready", 0, d)
      dagMarkUnrun(E, d, "skipped", dependent)
      skipped = skipped + 1
      for _, dd in ipairs(dependent.dependents) do todo[#todo + 1] = dd end
    end
  end
  if skipped > 0 then
    redis.call("HINCRBY", E, "held", -skipped)
    redis.call("HINCRBY", E, "skipped", skipped)
  end
end

-- Cancels every node not started: held and ready ones, and released ones whose job no worker has taken.
local function dagCancelUnstarted(E)
  local states = redis.call("HGETALL", E .. ":state")
  local held = 0
  local released = 0
  for i = 1, #states, 2 do
    local nodeId = states[i]
    local state = states[i + 1]
    if state == "held" or state == "released" then
      local node = dagNode(E, nodeId)
      if dagRemoveUnstartedJob(node) or state == "held" then
        dagMarkUnrun(E, nodeId, "cancelled", node)
        if state == "held" then held = held + 1 else released = released + 1 end
      end
    end
  end
  redis.call("DEL", E .. ":ready", E .. ":pending")
  if held + released > 0 then -- never HINCRBY by -0: Lua prints it "-0", which Redis refuses
    redis.call("HINCRBY", E, "held", 0 - held)
    redis.call("HINCRBY", E, "released", 0 - released)
    redis.call("HINCRBY", E, "cancelled", held + released)
  end
end

-- Ends the execution when no node is held, ready or released: status (completed unless already failed or
-- cancelled), completedAt, queue counters, retention on every execution key, leaves "live", is scheduled in
-- "expiring" (member "<execId> <workflowId>", score: expiry in ms of now's clock), "execution-finished".
local function dagEndIfDone(E, now)
  local rec = redis.call("HMGET", E, "held", "released", "completedAt", "status", "retention", "queues",
    "idempotencyKey", "workflowId")
  if tonumber(rec[1]) ~= 0 or tonumber(rec[2]) ~= 0 or rec[3] then
    return
  end
  local status = rec[4]
  if status == "running" then
    status = "completed"
    dagSetStatus(E, status)
  end
  redis.call("HSET", E, "completedAt", now)
  local D = dagBase(E)
  for _, Q in ipairs(cjson.decode(rec[6])) do
    if redis.call("HINCRBY", D .. "queues", Q, -1) <= 0 then
      redis.call("HDEL", D .. "queues", Q)
    end
  end
  local retention = tonumber(rec[5])
  for _, key in ipairs({E, E .. ":nodes", E .. ":state", E .. ":pending", E .. ":ready"}) do
    redis.call("EXPIRE", key, retention)
  end
  if rec[7] and rec[7] ~= "" then
    redis.call("EXPIRE", D .. "idem:" .. rec[7], retention)
  end
  local execId = dagExecId(E)
  redis.call("ZREM", D .. "live", execId)
  redis.call("ZADD", D .. "expiring", now + retention * 1000, execId .. " " .. rec[8])
  dagEmit(E, "execution-finished", "status", status)
end

-- A node's job reached completed or failed for good (outcome), with its return value JSON or failed
-- reason. Acts only when the node is "released" and moves it on at once, so a second call for the same node
-- is a no-op (returns false). Applies the node's failure policy, refills parallelism slots, ends the
-- execution when nothing is left.
local function dagNodeFinished(E, nodeId, outcome, value, now)
  if redis.call("HGET", E .. ":state", nodeId) ~= "released" then
    return false
  end
  local node = dagNode(E, nodeId)
  redis.call("HSET", E .. ":state", nodeId, outcome)
  dagForgetJob(E, node)
  redis.call("HINCRBY", E, "released", -1)
  redis.call("HINCRBY", E, outcome, 1)
  dagEmit(E, "node-finished", "node", nodeId, "state", outcome, "jobId", node.jobId)
  if outcome == "completed" or node.policy == "continue" then
    dagDependencyDone(E, node, outcome, value, now)
  elseif node.policy == "skip" then
    dagSkipDependents(E, node)
  else
    if redis.call("HGET", E, "status") == "running" then
      dagSetStatus(E, "failed")
    end
    dagCancelUnstarted(E)
  end
  dagFillSlots(E, now)
  dagEndIfDone(E, now)
  return true
end
