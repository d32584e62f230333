--[[
  Does a DAG node's bookkeeping after its job finished outside Corral's moveToFinished (a Node BullMQ worker,
  which knows nothing of DAGs): the coordinator runs it for each completed / failed event of a queue with
  DAG nodes, the reconciliation sweep for each released node whose job is finished or gone. Idempotent: a
  no-op for a job that is not a DAG node, is not finished for good (not in completed / failed), or whose node
  was already handled (e.g. inline by moveToFinished).

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (touches P<jobId>, P completed, P failed, the execution
           keys named by the job's dagKey, and the queues of the node's dependents)

  ARGV[1]  job id
  ARGV[2]  now (ms)
  ARGV[3]  execution key "<p>:dag:<execId>" or "": used only when the job hash is gone (the sweep), to
           finish that node as failed with reason "job removed"
  ARGV[4]  node id (with ARGV[3])

  Output: {1} the node was finished now | {0} nothing to do
  Events: D stream: node-finished, node-released, execution-finished; in the dependents' queues:
          waiting | delayed (released), removed (cancelled / skipped jobs).
]]
local P = KEYS[1]
local jobId = ARGV[1]
local now = tonumber(ARGV[2])
local jobKey = P .. jobId

-- @include "common"
-- @include "parents"
-- @include "dag"

local f = redis.call("HMGET", jobKey, "dagKey", "dagNode", "returnvalue", "failedReason")
local E = f[1]
local nodeId = f[2]
local outcome
local value
if E then
  if redis.call("ZSCORE", P .. "completed", jobId) then
    outcome = "completed"
    value = f[3] or "null"
  elseif redis.call("ZSCORE", P .. "failed", jobId) then
    outcome = "failed"
    value = f[4] or ""
  else
    return {0}
  end
elseif ARGV[3] ~= "" and redis.call("EXISTS", jobKey) == 0 then
  E = ARGV[3]
  nodeId = ARGV[4]
  local node = dagNode(E, nodeId)
  if not node or node.queue ~= P or node.jobId ~= jobId then
    return {0}
  end
  outcome = "failed"
  value = "job removed"
else
  return {0}
end
if dagNodeFinished(E, nodeId, outcome, value, now) then
  return {1}
end
return {0}
