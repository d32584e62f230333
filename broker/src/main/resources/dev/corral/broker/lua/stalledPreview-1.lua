--[[
  Read-only preview of the stalled-job check (moveStalledJobsToWait-1.lua, the script workers run): which
  jobs a check run now would move back to wait, and which of them would get the deferred failure (stalled
  more than max stalled count times). Changes nothing. Keep it in step with moveStalledJobsToWait.

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (reads P stalled-check, P stalled, P active, P repeat,
           P<jobId>, P<jobId>:lock)

  ARGV[1]  max stalled count

  Output: {1} the check is throttled now (P stalled-check exists: a check would do nothing);
          {0, {jobId, failing}...} otherwise, failing = 1 when the job would be failed at its next fetch
]]
local P = KEYS[1]
local maxStalledCount = tonumber(ARGV[1])

if redis.call("EXISTS", P .. "stalled-check") == 1 then
  return {1}
end
local out = {0}
for _, jobId in ipairs(redis.call("SMEMBERS", P .. "stalled")) do
  local jobKey = P .. jobId
  if string.sub(jobId, 1, 2) ~= "0:" and redis.call("EXISTS", jobKey .. ":lock") == 0
      and redis.call("LPOS", P .. "active", jobId) and redis.call("EXISTS", jobKey) == 1 then
    local stalledCount = tonumber(redis.call("HGET", jobKey, "stc") or "0") + 1
    local failing = 0
    if stalledCount > maxStalledCount then
      local scheduler = redis.call("HGET", jobKey, "rjk")
      if not (scheduler and (redis.call("EXISTS", P .. "repeat:" .. scheduler) == 1
          or redis.call("ZSCORE", P .. "repeat", scheduler))) then
        failing = 1
      end
    end
    table.insert(out, {jobId, failing})
  end
end
return out
