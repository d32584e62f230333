--[[
  Cancels a running DAG execution: status cancelled; held and ready nodes, and released nodes whose job no
  worker has taken, are cancelled and their jobs removed from their queues. Running nodes finish (their
  results are recorded, nothing more is released); the execution ends when the last of them finishes, or
  now when none runs.

  KEYS[1]  D, the DAG base key "<p>:dag:" (touches D<execId> and its sub-keys, D status:*, D queues,
           D stream, D idem:<key>, and the node queues' wait, paused, prioritized, delayed, waiting-children,
           events and job keys)

  ARGV[1]  execution id
  ARGV[2]  now (ms)

  Output: {1} cancelled | {0, status} not running (already completed, failed or cancelled) | {-1} unknown
  Events: D stream: node-finished (state cancelled) per cancelled node, execution-finished when it ends;
          removed per removed job in its queue.
]]
local E = KEYS[1] .. ARGV[1]
local now = tonumber(ARGV[2])

-- @include "common"
-- @include "parents"
-- @include "dag"

local status = redis.call("HGET", E, "status")
if not status then
  return {-1}
end
if status ~= "running" then
  return {0, status}
end
dagSetStatus(E, "cancelled")
dagCancelUnstarted(E)
dagEndIfDone(E, now)
return {1}
