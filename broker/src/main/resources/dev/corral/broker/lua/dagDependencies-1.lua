--[[
  Reads what a DAG node's dependencies left for it, keyed by node id: the return values of the completed
  ones (P<jobId>:processed) and the failed reasons of those that failed under policy continue
  (P<jobId>:failed). Both hashes are keyed by dependency job key ("<p>:<queue>:<id>", as BullMQ's
  getChildrenValues returns them); the node's entry in its execution's node table (<dagKey>:nodes) lists
  its dependencies, whose entries give their job keys. Read-only.

  KEYS[1]  P (reads P<jobId> dagKey / dagNode, P<jobId>:processed, P<jobId>:failed, <dagKey>:nodes)

  ARGV[1]  job id

  Output: {} when the job is gone or is not a DAG node; else {results, failures}, each a flat list
          {nodeId, value, ...}. An entry whose job key is no dependency of the node (the node table expired)
          is left out.
]]
local jobKey = KEYS[1] .. ARGV[1]
local fields = redis.call("HMGET", jobKey, "dagKey", "dagNode")
if not fields[1] or not fields[2] then
  return {}
end
local nodesKey = fields[1] .. ":nodes"
local own = redis.call("HGET", nodesKey, fields[2])
local nodeIdByJobKey = {}
if own then
  local deps = cjson.decode(own).deps or {}
  for from = 1, #deps, 1000 do -- unpack() is bounded by Lua's C stack: HMGET in chunks
    local to = math.min(from + 999, #deps)
    local entries = redis.call("HMGET", nodesKey, unpack(deps, from, to))
    for i = 1, to - from + 1 do
      if entries[i] then
        local dep = cjson.decode(entries[i])
        nodeIdByJobKey[dep.queue .. dep.jobId] = deps[from + i - 1]
      end
    end
  end
end

local function byNodeId(hashKey)
  local flat = redis.call("HGETALL", hashKey)
  local out = {}
  for i = 1, #flat, 2 do
    local nodeId = nodeIdByJobKey[flat[i]]
    if nodeId then
      out[#out + 1] = nodeId
      out[#out + 1] = flat[i + 1]
    end
  end
  return out
end

return {byNodeId(jobKey .. ":processed"), byNodeId(jobKey .. ":failed")}
