--[[
  Reads one DAG execution: its record and, per node, the node table entry, its state and its job's timings.
  Read-only.

  KEYS[1]  D, the DAG base key "<p>:dag:" (reads D<execId>, its :nodes and :state, and each node's job hash)

  ARGV[1]  execution id

  Output: {} when the execution does not exist; else {recordFlat, {{nodeId, nodeJson, state, timestamp,
          processedOn, finishedOn}, ...}} with "" for a missing timing (or a job hash that is gone).
]]
local E = KEYS[1] .. ARGV[1]
local record = redis.call("HGETALL", E)
if #record == 0 then
  return {}
end
local stateFlat = redis.call("HGETALL", E .. ":state")
local states = {}
for i = 1, #stateFlat, 2 do
  states[stateFlat[i]] = stateFlat[i + 1]
end
local nodes = redis.call("HGETALL", E .. ":nodes")
local out = {}
for i = 1, #nodes, 2 do
  local node = cjson.decode(nodes[i + 1])
  local t = redis.call("HMGET", node.queue .. node.jobId, "timestamp", "processedOn", "finishedOn")
  out[#out + 1] = {nodes[i], nodes[i + 1], states[nodes[i]] or "", t[1] or "", t[2] or "", t[3] or ""}
end
return {record, out}
