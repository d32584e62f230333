--[[
  Extends the locks of a worker's active jobs (BullMQ's extendLocks). A lock is extended only while it
  still holds the same token; extending also takes the job out of P stalled.

  KEYS[1]  P (touches P<jobId>:lock, P stalled)

  ARGV[1]  lock duration (ms)
  ARGV[2..] pairs: job id, token

  Output: the ids whose lock could not be extended (lost or taken by someone else)
]]
local P = KEYS[1]
local duration = ARGV[1]
local lost = {}
for i = 2, #ARGV, 2 do
  local jobId = ARGV[i]
  local token = ARGV[i + 1]
  local lockKey = P .. jobId .. ":lock"
  if redis.call("GET", lockKey) == token then
    redis.call("SET", lockKey, token, "PX", duration)
    redis.call("SREM", P .. "stalled", jobId)
  else
    table.insert(lost, jobId)
  end
end
return lost
