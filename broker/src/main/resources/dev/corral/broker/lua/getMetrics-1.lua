--[[
  Reads a queue's worker metrics for one finished state (BullMQ's getMetrics), read-only.

  KEYS[1]  P (reads P metrics:<state>, P metrics:<state>:data)

  ARGV[1]  state: "completed" | "failed"
  ARGV[2]  first data point (0 = newest minute)
  ARGV[3]  last data point (-1 = oldest)

  Output: {{count, prevTS, prevCount} (each false when absent), {points in range...}, number of points}
]]
local countsKey = KEYS[1] .. "metrics:" .. ARGV[1]
local dataKey = countsKey .. ":data"
local counts = redis.call("HMGET", countsKey, "count", "prevTS", "prevCount")
local points = redis.call("LRANGE", dataKey, ARGV[2], ARGV[3])
return {counts, points, redis.call("LLEN", dataKey)}
