--[[
  Lists registered workers, most recent heartbeat first, with what each one registered and last reported.

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  offset
  ARGV[2]  most workers returned
  ARGV[3..] worker ids to read instead of the index page (optional)

  Output: {{id, reg JSON, heartbeat JSON or "", lastHeartbeat, intervalMs, deadAfterMissed, registeredAt,
          beats}, ...}
]]
local B = KEYS[1]

-- @include "workers"

local ids
if #ARGV > 2 then
  ids = {}
  for i = 3, #ARGV do
    table.insert(ids, ARGV[i])
  end
else
  local offset = tonumber(ARGV[1])
  ids = redis.call("ZREVRANGE", B .. "index", offset, offset + tonumber(ARGV[2]) - 1)
end
local out = {}
for _, id in ipairs(ids) do
  local f = redis.call("HMGET", workerKey(B, id), "reg", "hb", "lastHeartbeat", "intervalMs", "deadAfterMissed",
    "registeredAt", "beats")
  if f[1] then
    table.insert(out, {id, f[1], f[2] or "", f[3], f[4], f[5], f[6], f[7] or "0"})
  end
end
return out
