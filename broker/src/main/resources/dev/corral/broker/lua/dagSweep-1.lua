--[[
  Reconciliation sweep of one DAG execution (docs/dag.md): finishes every "released" node whose job is in
  its queue's completed or failed set, as the coordinator would have on the job's event. A released node
  whose job hash is gone is finished as failed "job removed" only when the caller names it in ARGV[3..]
  (it was already gone at the caller's previous sweep): a worker with removeOnComplete deletes the hash in
  the same call that writes the completed event, and the coordinator reading that event (which carries the
  return value) must win. An execution that has ended or no longer exists leaves D live. At most ARGV[3]
  nodes are finished per call, so that one call never blocks Redis long; the caller calls again while the
  reply says more may be left.

  KEYS[1]  D, the DAG base key "<p>:dag:" (touches D<execId> and its sub-keys, D live, D jobs, D expiring,
           D status:*, D queues, D stream, and the node queues' job keys, completed, failed, and what a
           release or a cancellation touches)

  ARGV[1]  execution id
  ARGV[2]  now (ms)
  ARGV[3]  at most this many nodes finished by this call
  ARGV[4..] node ids whose job was gone at the previous sweep: finished as "job removed" if still gone

  Output: {finished, more, gone...}: how many nodes this call finished; 1 when it stopped at ARGV[3] (call
          again), else 0; then the released nodes whose job hash is gone and that were not named in ARGV[4..]
          (to name at the next sweep)
  Events: as dagNodeFinished: D stream node-finished, node-released, execution-finished; waiting | delayed
          and removed in the node queues.
]]
local D = KEYS[1]
local execId = ARGV[1]
local now = tonumber(ARGV[2])
local E = D .. execId

-- @include "common"
-- @include "parents"
-- @include "dag"

local rec = redis.call("HMGET", E, "status", "completedAt")
if not rec[1] or rec[2] then
  redis.call("ZREM", D .. "live", execId)
  return {0, 0}
end
local budget = tonumber(ARGV[3])

local suspects = {}
for i = 4, #ARGV do
  suspects[ARGV[i]] = true
end

local finished = 0
local more = 0
local gone = {}
local states = redis.call("HGETALL", E .. ":state")
for i = 1, #states, 2 do
  if finished >= budget then
    more = 1
    break
  end
  local nodeId = states[i]
  -- a finish earlier in this loop may have cancelled this node: dagNodeFinished checks the live state
  if states[i + 1] == "released" then
    local node = dagNode(E, nodeId)
    local outcome, value = dagJobOutcome(node.queue, node.jobId)
    if outcome == "gone" then
      if suspects[nodeId] then
        outcome = "failed"
        value = "job removed"
      else
        gone[#gone + 1] = nodeId
        outcome = nil
      end
    end
    if outcome and dagNodeFinished(E, nodeId, outcome, value, now) then
      finished = finished + 1
    end
  end
end

local reply = {finished, more}
for _, nodeId in ipairs(gone) do
  reply[#reply + 1] = nodeId
end
return reply
