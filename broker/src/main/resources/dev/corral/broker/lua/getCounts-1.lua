--[[
  Counts jobs per state (BullMQ's getCounts), read-only.

  KEYS[1]  P (reads P wait, P paused, P active, P prioritized, P delayed, P completed, P failed,
           P waiting-children)

  ARGV[1..] state names: waiting (or wait), paused, active, prioritized, delayed, completed, failed,
            waiting-children

  Output: one count per state, in order (an unknown state counts 0)
]]
local P = KEYS[1]
local lists = {wait = "wait", waiting = "wait", paused = "paused", active = "active"}
local sets = {prioritized = true, delayed = true, completed = true, failed = true, ["waiting-children"] = true}
local counts = {}
for i, state in ipairs(ARGV) do
  if lists[state] then
    local key = P .. lists[state]
    local n = redis.call("LLEN", key)
    -- a legacy "0:" marker at the consuming end is not a job
    if n > 0 and state ~= "active" then
      local last = redis.call("LINDEX", key, -1)
      if string.sub(last, 1, 2) == "0:" then
        n = n - 1
      end
    end
    counts[i] = n
  elseif sets[state] then
    counts[i] = redis.call("ZCARD", P .. state)
  else
    counts[i] = 0
  end
end
return counts
