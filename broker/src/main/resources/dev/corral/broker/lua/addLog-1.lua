--[[
  Appends a line to a job's log, keeping at most keepLogs lines (BullMQ's addLog).

  KEYS[1]  P (touches P<jobId>, P<jobId>:logs)

  ARGV[1]  job id
  ARGV[2]  log line
  ARGV[3]  keep logs (max lines kept), or "" for the job's opts.kl (all when absent)

  Output: {number of lines now stored} | {-1} missing job
]]
local jobKey = KEYS[1] .. ARGV[1]
if redis.call("EXISTS", jobKey) == 0 then
  return {-1}
end
local count = redis.call("RPUSH", jobKey .. ":logs", ARGV[2])
local keep = tonumber(ARGV[3])
if not keep then
  local ok, opts = pcall(cjson.decode, redis.call("HGET", jobKey, "opts") or "{}")
  if ok and type(opts) == "table" then
    keep = tonumber(opts.kl)
  end
end
if keep then
  redis.call("LTRIM", jobKey .. ":logs", -keep, -1)
  count = math.min(count, keep)
end
return {count}
