--[[
  Registers a worker. An id held by a worker that is still alive (its deadline not passed) is refused; an id
  left by a dead worker that the sweep has not removed yet is taken over (the old entry is removed as by the
  sweep, its jobs orphaned).

  KEYS[1]  B, the registry base key "{<prefix>:workers}:" (touches B w:<id>, B index, B deadlines, ...)

  ARGV[1]  worker id
  ARGV[2]  now (ms)
  ARGV[3]  heartbeat interval (ms)
  ARGV[4]  missed heartbeats after which the worker is dead
  ARGV[5]  registration JSON
  ARGV[6]  audit entries kept
  ARGV[7]  audit ttl (s) once the worker is gone

  Output: {1} registered, {-1} the id belongs to a live worker
]]
local B = KEYS[1]
local id = ARGV[1]
local now = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local deadAfter = tonumber(ARGV[4])

-- @include "workers"

local W = workerKey(B, id)
local deadline = redis.call("ZSCORE", B .. "deadlines", id)
if deadline and tonumber(deadline) > now then
  return {-1}
end
if redis.call("EXISTS", W) == 1 then
  removeWorker(B, id, now, tonumber(ARGV[6]), tonumber(ARGV[7]), true)
end
redis.call("HSET", W, "reg", ARGV[5], "registeredAt", now, "lastHeartbeat", now, "intervalMs", interval,
  "deadAfterMissed", deadAfter, "beats", 0)
redis.call("PERSIST", W .. ":audit")
redis.call("PERSIST", W .. ":cmds")
redis.call("PERSIST", W .. ":taken")
redis.call("ZADD", B .. "index", now, id)
redis.call("ZADD", B .. "deadlines", now + interval * deadAfter, id)
return {1}
