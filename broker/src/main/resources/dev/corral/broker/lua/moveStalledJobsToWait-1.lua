--[[
  The stalled-job check (BullMQ's moveStalledJobsToWait). Runs at most once per stalled interval for the
  whole queue, whoever calls it (P stalled-check throttles it). A job is recovered when it was active at
  the previous check, its lock is gone, and nobody extended the lock since (extending SREMs it from
  P stalled). A job recovered more than maxStalledCount times gets defa (deferred failure).

  KEYS[1]  P (touches P stalled-check, P stalled, P active, P wait, P marker, P events, P meta, P repeat,
           P<jobId>)

  ARGV[1]  max stalled count
  ARGV[2]  now (ms)
  ARGV[3]  stalled interval (ms)

  Output: the ids recovered by this call (empty when throttled)
  Events: waiting (prev active) then stalled, for each recovered job.
]]
local P = KEYS[1]
local maxStalledCount = tonumber(ARGV[1])

-- @include "common"

if redis.call("EXISTS", P .. "stalled-check") == 1 then
  return {}
end
redis.call("SET", P .. "stalled-check", ARGV[2], "PX", ARGV[3])
local maxLen = maxEvents(P)
redis.call("XTRIM", P .. "events", "MAXLEN", "~", maxLen)

local recovered = {}
local stalling = redis.call("SMEMBERS", P .. "stalled")
if #stalling > 0 then
  redis.call("DEL", P .. "stalled")
  for _, jobId in ipairs(stalling) do
    local jobKey = P .. jobId
    if string.sub(jobId, 1, 2) == "0:" then
      redis.call("LREM", P .. "active", 1, jobId)
    elseif redis.call("EXISTS", jobKey .. ":lock") == 0 and redis.call("LREM", P .. "active", 1, jobId) > 0 then
      if redis.call("EXISTS", jobKey) == 1 then
        local stalledCount = redis.call("HINCRBY", jobKey, "stc", 1)
        if stalledCount > maxStalledCount then
          -- a scheduler job (its rjk names a scheduler hash or a scheduler in P repeat) is never failed
          local scheduler = redis.call("HGET", jobKey, "rjk")
          if not (scheduler and (redis.call("EXISTS", P .. "repeat:" .. scheduler) == 1
              or redis.call("ZSCORE", P .. "repeat", scheduler))) then
            redis.call("HSET", jobKey, "defa", "job stalled more than allowable limit")
          end
        end
        redis.call("RPUSH", P .. "wait", jobId)
        addBaseMarkerIfReady(P)
        emit(P, maxLen, "waiting", "jobId", jobId, "prev", "active")
        emit(P, maxLen, "stalled", "jobId", jobId)
        table.insert(recovered, jobId)
      end
    end
  end
end

local active = redis.call("LRANGE", P .. "active", 0, -1)
for from = 1, #active, 7000 do
  redis.call("SADD", P .. "stalled", unpack(active, from, math.min(from + 6999, #active)))
end
return recovered
