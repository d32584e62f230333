--[[
  Read-only preview of the DAG reconciliation sweep (dagSweep-1.lua): the released nodes of executions not
  yet ended whose job is already in its queue's completed or failed set, i.e. the nodes a sweep run now
  would finish. Nodes whose job hash is gone are not listed (a sweep finishes them only at its second
  sighting). Changes nothing.

  KEYS[1]  D, the DAG base key "<p>:dag:" (reads D live, D<execId>, D<execId>:state, D<execId>:nodes and the
           node queues' completed / failed sets and job hashes)

  ARGV[1]  at most this many nodes listed

  Output: {{execId, nodeId, queue base key, jobId, outcome}...}, outcome "completed" or "failed"
]]
local D = KEYS[1]
local limit = tonumber(ARGV[1])

-- @include "common"
-- @include "parents"
-- @include "dag"

local out = {}
for _, execId in ipairs(redis.call("ZRANGE", D .. "live", 0, -1)) do
  local E = D .. execId
  local rec = redis.call("HMGET", E, "status", "completedAt")
  if rec[1] and not rec[2] then
    local states = redis.call("HGETALL", E .. ":state")
    for i = 1, #states, 2 do
      if #out >= limit then
        return out
      end
      if states[i + 1] == "released" then
        local node = dagNode(E, states[i])
        if node then
          local outcome = dagJobOutcome(node.queue, node.jobId)
          if outcome == "completed" or outcome == "failed" then
            table.insert(out, {execId, states[i], node.queue, node.jobId, outcome})
          end
        end
      end
    end
  end
end
return out
