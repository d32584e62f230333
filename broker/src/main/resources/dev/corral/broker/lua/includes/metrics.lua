--[[
  Worker metrics (BullMQ's `metrics: {maxDataPoints}` worker option): per finished state, a counter hash
  P metrics:<completed|failed> {count, prevTS, prevCount} and a list P metrics:<state>:data with one point
  per minute, newest at the head. Needs common.lua.
]]

-- Most points pushed by one LPUSH (Lua's unpack has a stack limit of about 8000 values).
local METRICS_PUSH_BATCH = 5000

-- Counts one finish into P metrics:<state>. The first finish only starts the clock (prevTS = now,
-- prevCount = 0). A finish in a later minute than prevTS pushes the jobs counted since prevTS as one point,
-- then one zero for each further minute that passed (the zeros end on the head), at most maxDataPoints
-- points, trims the list to maxDataPoints and moves prevTS / prevCount to now and the count before this job.
local function recordFinishMetrics(P, state, maxDataPoints, now, nowText)
  local countsKey = P .. "metrics:" .. state
  local before = redis.call("HINCRBY", countsKey, "count", "1") - 1
  local prev = redis.call("HMGET", countsKey, "prevTS", "prevCount")
  local prevTs = tonumber(prev[1])
  if not prevTs then
    redis.call("HSET", countsKey, "prevTS", nowText, "prevCount", "0")
    return
  end
  local minutes = math.floor(now / 60000) - math.floor(prevTs / 60000)
  if minutes <= 0 then
    return
  end
  local points = math.min(minutes, maxDataPoints)
  local dataKey = countsKey .. ":data"
  redis.call("LPUSH", dataKey, fmtInt(before - (tonumber(prev[2]) or 0)))
  local zeros = points - 1
  while zeros > 0 do
    local batch = {}
    for i = 1, math.min(zeros, METRICS_PUSH_BATCH) do
      batch[i] = "0"
    end
    redis.call("LPUSH", dataKey, unpack(batch))
    zeros = zeros - #batch
  end
  redis.call("LTRIM", dataKey, "0", fmtInt(maxDataPoints - 1))
  redis.call("HSET", countsKey, "prevCount", fmtInt(before), "prevTS", nowText)
end
