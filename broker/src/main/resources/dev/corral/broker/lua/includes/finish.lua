--[[
  Lock checks shared by the scripts that take a job out of active.
  Needs common.lua.
]]

-- Releases the lock when the token matches. Returns 0, or -6 (held by another token), -2 (no lock).
local function releaseLock(P, jobId, token)
  if token == "0" then
    return 0
  end
  local lockKey = P .. jobId .. ":lock"
  local holder = redis.call("GET", lockKey)
  if holder == token then
    redis.call("DEL", lockKey)
    redis.call("SREM", P .. "stalled", jobId)
    return 0
  end
  if holder then
    return -6
  end
  return -2
end

-- Takes a job that failed or was postponed out of active: it must exist and hold the lock (released here);
-- failedReason and stacktrace are stored when a reason is given. Returns 0, or -1 (missing job), -2 / -6
-- (lock missing / held by another token), -3 (not active).
local function takeOutOfActive(P, jobId, token, failedReason, stacktrace)
  local jobKey = P .. jobId
  if redis.call("EXISTS", jobKey) == 0 then
    return -1
  end
  local lockResult = releaseLock(P, jobId, token)
  if lockResult ~= 0 then
    return lockResult
  end
  if failedReason ~= "" then
    redis.call("HSET", jobKey, "failedReason", failedReason, "stacktrace", stacktrace)
  end
  if redis.call("LREM", P .. "active", "-1", jobId) == 0 then
    return -3
  end
  return 0
end
