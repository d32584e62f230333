--[[
  Records a worker's heartbeat: the payload, its last-heartbeat time and deadline in the index zsets, the
  jobs it runs (B w:<id>:jobs, the owners hash and handoffs, diffed against the previous heartbeat), and
  publishes the payload on B heartbeats for live consumers.

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  worker id
  ARGV[2]  now (ms)
  ARGV[3]  heartbeat interval (ms)
  ARGV[4]  missed heartbeats after which the worker is dead
  ARGV[5]  heartbeat JSON
  ARGV[6..] pairs: job ref "<queue>:<jobId>", job JSON

  Output: {1, pending command count}, or {-1} when the worker is not registered (swept as dead, or never
          registered): it should register again
]]
local B = KEYS[1]
local id = ARGV[1]
local now = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local deadAfter = tonumber(ARGV[4])

-- @include "workers"

local W = workerKey(B, id)
if redis.call("EXISTS", W) == 0 then
  return {-1}
end
redis.call("HSET", W, "hb", ARGV[5], "lastHeartbeat", now, "intervalMs", interval, "deadAfterMissed", deadAfter)
redis.call("HINCRBY", W, "beats", 1)
redis.call("ZADD", B .. "index", now, id)
redis.call("ZADD", B .. "deadlines", now + interval * deadAfter, id)

local current = {}
for i = 6, #ARGV, 2 do
  current[ARGV[i]] = ARGV[i + 1]
end
for _, ref in ipairs(redis.call("HKEYS", W .. ":jobs")) do
  if not current[ref] then
    redis.call("HDEL", W .. ":jobs", ref)
    releaseOwnership(B, ref, id)
  end
end
for ref, job in pairs(current) do
  if redis.call("HSET", W .. ":jobs", ref, job) == 1 then
    takeOwnership(B, ref, id)
  end
end
redis.call("PUBLISH", B .. "heartbeats", ARGV[5])
return {1, redis.call("LLEN", W .. ":queue")}
