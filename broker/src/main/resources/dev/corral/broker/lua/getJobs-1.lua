--[[
  Lists jobs in the given states with their hashes (BullMQ's getRanges + job reads), read-only. The range
  applies to each state separately, as in BullMQ. Ids whose hash is gone are skipped.

  KEYS[1]  P (reads the state keys and P<jobId>)

  ARGV[1]  start index
  ARGV[2]  end index (-1 = to the end)
  ARGV[3]  ascending "1" (oldest first) | "0" (newest first)
  ARGV[4..] state names as in getCounts

  Output: flat list: jobId, jobHashFlat, jobId, jobHashFlat, ...
]]
local P = KEYS[1]
local start = tonumber(ARGV[1])
local stop = tonumber(ARGV[2])
local asc = ARGV[3] == "1"
local lists = {wait = "wait", waiting = "wait", paused = "paused", active = "active"}
local out = {}

local function collect(ids)
  for _, jobId in ipairs(ids) do
    if string.sub(jobId, 1, 2) ~= "0:" then
      local hash = redis.call("HGETALL", P .. jobId)
      if #hash > 0 then
        table.insert(out, jobId)
        table.insert(out, hash)
      end
    end
  end
end

for i = 4, #ARGV do
  local state = ARGV[i]
  if lists[state] then
    local key = P .. lists[state]
    if asc then
      -- the oldest job is at the right end of the list
      local from = -(stop + 1)
      local to = -(start + 1)
      if stop < 0 then
        from = 0
      end
      local ids = redis.call("LRANGE", key, from, to)
      local reversed = {}
      for j = #ids, 1, -1 do
        table.insert(reversed, ids[j])
      end
      collect(reversed)
    else
      collect(redis.call("LRANGE", key, start, stop))
    end
  elseif state == "prioritized" or state == "delayed" or state == "completed" or state == "failed"
      or state == "waiting-children" then
    if asc then
      collect(redis.call("ZRANGE", P .. state, start, stop))
    else
      collect(redis.call("ZREVRANGE", P .. state, start, stop))
    end
  end
end
return out
