--[[
  Replaces a job's data (BullMQ's updateData).

  KEYS[1]  P (touches P<jobId>)

  ARGV[1]  job id
  ARGV[2]  data (JSON)

  Output: {0} | {-1} missing job
]]
local jobKey = KEYS[1] .. ARGV[1]
if redis.call("EXISTS", jobKey) == 0 then
  return {-1}
end
redis.call("HSET", jobKey, "data", ARGV[2])
return {0}
