--[[
  Does a DAG node's bookkeeping after its job finished outside Corral's moveToFinished (a Node BullMQ worker,
  which knows nothing of DAGs): the coordinator runs it for each completed / failed event of a queue with
  DAG nodes. Idempotent: a no-op for a job that is not a DAG node, is not finished for good (not in
  completed / failed), or whose node was already handled (e.g. inline by moveToFinished).

  When the job hash is gone (a worker's removeOnComplete / removeOnFail, or a removal), the node is found
  through ARGV[3]/[4] or else the reverse index D jobs (job key -> "<execId> <node>", kept while the node is
  not final), and finished with the outcome its event carried (ARGV[6]/[7]); without one, as failed with
  reason "job removed".

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (touches P<jobId>, P completed, P failed, the execution
           keys named by the job's dagKey or found in D jobs, D jobs, and the queues of the node's dependents)

  ARGV[1]  job id
  ARGV[2]  now (ms)
  ARGV[3]  execution key "<p>:dag:<execId>" or "" (the node of a job whose hash may be gone, when known)
  ARGV[4]  node id (with ARGV[3]) or ""
  ARGV[5]  D, the DAG base key "<p>:dag:", or "": where to look the node up when the hash is gone and
           ARGV[3] is ""
  ARGV[6]  the outcome the job's event reported: "completed" | "failed" | "" (none: the hash being gone
           then means "job removed")
  ARGV[7]  with ARGV[6]: the event's returnvalue (JSON) or failedReason

  Output: {1} the node was finished now | {0} nothing to do
  Events: D stream: node-finished, node-released, execution-finished; in the dependents' queues:
          waiting | delayed (released), removed (cancelled / skipped jobs).
]]
local P = KEYS[1]
local jobId = ARGV[1]
local now = tonumber(ARGV[2])
local jobKey = P .. jobId
local knownExec = ARGV[3] or ""
local dagBaseKey = ARGV[5] or ""
local eventOutcome = ARGV[6] or ""
local eventValue = ARGV[7] or ""

-- @include "common"
-- @include "parents"
-- @include "dag"

local E, nodeId, outcome, value
local f = redis.call("HMGET", jobKey, "dagKey", "dagNode")
if f[1] then
  E = f[1]
  nodeId = f[2]
  outcome, value = dagJobOutcome(P, jobId)
  if outcome ~= "completed" and outcome ~= "failed" then
    return {0}
  end
elseif redis.call("EXISTS", jobKey) == 0 then
  if knownExec ~= "" then
    E = knownExec
    nodeId = ARGV[4]
  elseif dagBaseKey ~= "" then
    local entry = redis.call("HGET", dagBaseKey .. "jobs", jobKey)
    if not entry then
      return {0}
    end
    local execId, n = string.match(entry, "^(%S+) (%S+)$")
    if not execId then
      return {0}
    end
    E = dagBaseKey .. execId
    nodeId = n
  else
    return {0}
  end
  local node = dagNode(E, nodeId)
  if not node or node.queue ~= P or node.jobId ~= jobId then
    return {0}
  end
  if eventOutcome == "completed" or eventOutcome == "failed" then
    outcome = eventOutcome
    value = eventValue
    if outcome == "completed" and value == "" then
      value = "null"
    end
  else
    outcome = "failed"
    value = "job removed"
  end
else
  return {0}
end
if dagNodeFinished(E, nodeId, outcome, value, now) then
  return {1}
end
return {0}
