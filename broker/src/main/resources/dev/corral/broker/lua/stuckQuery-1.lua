--[[
  Reads the stuck history's hour buckets from ARGV[1] to ARGV[2] (hours since the epoch), optionally with
  their event logs.

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  first hour
  ARGV[2]  last hour
  ARGV[3]  log entries per hour to return (0 for none)

  Output: {{hour, {field, value, ...}, {log JSON, ...}}, ...} for the hours that have a bucket
]]
local B = KEYS[1]
local out = {}
local logs = tonumber(ARGV[3])
for hour = tonumber(ARGV[1]), tonumber(ARGV[2]) do
  local bucket = B .. "stuck:" .. string.format("%d", hour)
  local fields = redis.call("HGETALL", bucket)
  if #fields > 0 then
    local log = {}
    if logs > 0 then
      log = redis.call("LRANGE", bucket .. ":log", 0, logs - 1)
    end
    table.insert(out, {string.format("%d", hour), fields, log})
  end
end
return out
