--[[
  Cleans the DAG index zsets of executions whose record has expired (their retention ran out): takes the
  entries of D expiring due by now (member "<execId> <workflowId>", scored with the expiry time by the
  script that ended the execution) and, for each execution whose record no longer exists, removes it from
  D index, every D status:<status> and D workflow:<workflowId>. An entry whose record still exists is
  rescheduled at its remaining TTL (clocks differ), or dropped when the record has no TTL (the id was
  submitted again after expiring; that execution schedules itself when it ends); when the id was submitted
  again for another workflow, it only leaves the old workflow's zset.

  KEYS[1]  D, the DAG base key "<p>:dag:" (touches D expiring, D index, D status:*, D workflow:*, D<execId>)

  ARGV[1]  now (ms)
  ARGV[2]  at most this many entries per call

  Output: {cleaned, examined}: executions removed from the index zsets, entries looked at (examined below
          ARGV[2] means nothing more is due)
  Events: none
]]
local D = KEYS[1]
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local STATUSES = {"running", "completed", "failed", "cancelled"}

local due = redis.call("ZRANGEBYSCORE", D .. "expiring", "-inf", now, "LIMIT", 0, limit)
local cleaned = 0
for _, entry in ipairs(due) do
  local execId, workflowId = string.match(entry, "^(%S+) (%S+)$")
  local E = D .. (execId or entry)
  if not execId then
    redis.call("ZREM", D .. "expiring", entry) -- not written by Corral
  elseif redis.call("EXISTS", E) == 0 then
    redis.call("ZREM", D .. "index", execId)
    for _, status in ipairs(STATUSES) do
      redis.call("ZREM", D .. "status:" .. status, execId)
    end
    redis.call("ZREM", D .. "workflow:" .. workflowId, execId)
    redis.call("ZREM", D .. "expiring", entry)
    cleaned = cleaned + 1
  elseif redis.call("HGET", E, "workflowId") ~= workflowId then
    -- the id was submitted again, for another workflow: only the old workflow's zset is stale
    redis.call("ZREM", D .. "workflow:" .. workflowId, execId)
    redis.call("ZREM", D .. "expiring", entry)
  else
    local ttl = redis.call("PTTL", E)
    if ttl > 0 then
      redis.call("ZADD", D .. "expiring", now + ttl, entry)
    else
      redis.call("ZREM", D .. "expiring", entry)
    end
  end
end
return {cleaned, #due}
