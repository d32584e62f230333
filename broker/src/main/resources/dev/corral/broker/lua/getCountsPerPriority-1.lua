--[[
  Counts ready jobs per priority (BullMQ's getCountsPerPriority), read-only: priority 0 is the wait list,
  priority p the prioritized scores in [p * 2^32, (p + 1) * 2^32 - 1].

  KEYS[1]  P (reads P wait, P prioritized)

  ARGV[1..] priorities (0..2097151)

  Output: one count per priority, in order
]]
local P = KEYS[1]
local counts = {}
for i, arg in ipairs(ARGV) do
  local p = tonumber(arg)
  if p == 0 then
    counts[i] = redis.call("LLEN", P .. "wait")
  else
    counts[i] = redis.call("ZCOUNT", P .. "prioritized", p * 4294967296, (p + 1) * 4294967296 - 1)
  end
end
return counts
