--[[
  Changes a job's priority (BullMQ's changePriority). A job waiting in wait or prioritized is taken out
  and put back: to wait when the priority is 0 (LPUSH, RPUSH with lifo), else to prioritized (with lifo at
  the front of its priority, score priority * 2^32). Jobs in other states only get the new field, applied
  when they next become ready. No event.

  KEYS[1]  P (touches P wait, P prioritized, P pc, P marker, P meta, P<jobId>)

  ARGV[1]  job id
  ARGV[2]  priority (0..2097151)
  ARGV[3]  lifo "1" | "0"

  Output: {0} | {-1} missing job
]]
local P = KEYS[1]
local jobId = ARGV[1]
local priority = tonumber(ARGV[2])
local lifo = ARGV[3] == "1"

-- @include "common"

local jobKey = P .. jobId
if redis.call("EXISTS", jobKey) == 0 then
  return {-1}
end
if redis.call("ZREM", P .. "prioritized", jobId) == 1 or redis.call("LREM", P .. "wait", 0, jobId) > 0 then
  if priority > 0 and lifo then
    redis.call("ZADD", P .. "prioritized", priority * 4294967296, jobId)
  else
    pushReady(P, jobId, priority, lifo)
  end
  addBaseMarkerIfReady(P)
end
redis.call("HSET", jobKey, "priority", priority)
return {0}
