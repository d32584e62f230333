--[[
  Reads job schedulers: the range start..end of P repeat (by due time, ascending when asked), or one id.
  Read-only; a zset entry whose hash is gone is left out (BullMQ's getJobSchedulers deletes it instead).

  KEYS[1]  P, the queue base key "<prefix>:<queue>:" (reads P repeat, P repeat:<id>)

  ARGV[1]  "id" | "range"
  ARGV[2]  the id, or start
  ARGV[3]  end (range)
  ARGV[4]  "1" ascending | "0" descending (range)

  Output: flat {id, next millis (text), {field, value, ...}, ...}
]]
local P = KEYS[1]

local entries
if ARGV[1] == "id" then
  local score = redis.call("ZSCORE", P .. "repeat", ARGV[2])
  entries = score and {ARGV[2], score} or {}
elseif ARGV[4] == "1" then
  entries = redis.call("ZRANGE", P .. "repeat", ARGV[2], ARGV[3], "WITHSCORES")
else
  entries = redis.call("ZREVRANGE", P .. "repeat", ARGV[2], ARGV[3], "WITHSCORES")
end
local out = {}
for i = 1, #entries, 2 do
  local hash = redis.call("HGETALL", P .. "repeat:" .. entries[i])
  if #hash > 0 then
    table.insert(out, entries[i])
    table.insert(out, entries[i + 1])
    table.insert(out, hash)
  end
end
return out
