--[[
  One queue at a glance, read-only, for the ops API: counts per state, the meta hash, ready jobs per
  priority, and job names counted over a bounded sample of the jobs that are not finished.

  Priorities are exact and cheap: 0 is the wait list, p the prioritized jobs of priority p (scores in
  [p * 2^32, (p + 1) * 2^32 - 1]); the zset is walked one priority at a time (ZCOUNT, then a jump to the
  next priority's first member), so the cost grows with the number of distinct priorities, not of jobs.
  Names are read (HGET name) from at most ARGV[1] jobs, taken in this order: active, wait (next to run
  first), prioritized (lowest score first), delayed (soonest first). Job ids without a hash are skipped.

  KEYS[1]  P (reads P wait, P paused, P active, P prioritized, P delayed, P completed, P failed,
           P waiting-children, P meta, P metrics:completed, P metrics:failed, and the job hashes P<jobId> of
           the sampled jobs)

  ARGV[1]  most jobs whose name is read (0 = none)
  ARGV[2]  most distinct priorities reported (0 = none)

  Output: {
    {wait, paused, active, prioritized, delayed, completed, failed, waiting-children},   counts
    {field, value, ...},                                                                 the meta hash
    {priority, count, ...},                     ready jobs per priority, lowest priority first, non-zero only
    1 | 0,                                      1 when more distinct priorities exist than ARGV[2]
    {name, count, ...},                         names of the sampled jobs
    scanned,                                    job ids read for the sample
    1 | 0,                                      1 when the four states hold more jobs than ARGV[1]
    {completed, failed}                         worker metrics counts (BullMQ's metrics:<state> count), false
                                                when no worker with metrics finished a job in that state
  }
]]
local P = KEYS[1]
local sampleMax = tonumber(ARGV[1])
local priorityMax = tonumber(ARGV[2])
local SHIFT = 4294967296

local function isMarker(id)
  return string.sub(id, 1, 2) == "0:"
end

-- LLEN without a legacy "0:" marker at the consuming end
local function listLength(key)
  local n = redis.call("LLEN", key)
  if n > 0 and isMarker(redis.call("LINDEX", key, -1)) then
    n = n - 1
  end
  return n
end

local counts = {
  listLength(P .. "wait"), listLength(P .. "paused"), redis.call("LLEN", P .. "active"),
  redis.call("ZCARD", P .. "prioritized"), redis.call("ZCARD", P .. "delayed"), redis.call("ZCARD", P .. "completed"),
  redis.call("ZCARD", P .. "failed"), redis.call("ZCARD", P .. "waiting-children"),
}

local priorities = {}
local morePriorities = 0
if priorityMax > 0 then
  if counts[1] > 0 then
    table.insert(priorities, 0)
    table.insert(priorities, counts[1])
  end
  local key = P .. "prioritized"
  local first = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
  while #first > 0 do
    if #priorities >= 2 * priorityMax then
      morePriorities = 1
      break
    end
    local p = math.floor(tonumber(first[2]) / SHIFT)
    local nextLow = (p + 1) * SHIFT -- exact below 2^53; passed as numbers, which Redis formats exactly
    table.insert(priorities, p)
    table.insert(priorities, redis.call("ZCOUNT", key, p * SHIFT, nextLow - 1))
    first = redis.call("ZRANGEBYSCORE", key, nextLow, "+inf", "WITHSCORES", "LIMIT", 0, 1)
  end
end

local names = {}
local scanned = 0
local function sample(ids)
  for _, id in ipairs(ids) do
    if scanned >= sampleMax then
      return
    end
    if not isMarker(id) then
      scanned = scanned + 1
      local name = redis.call("HGET", P .. id, "name")
      if name then
        names[name] = (names[name] or 0) + 1
      end
    end
  end
end
if sampleMax > 0 then
  sample(redis.call("LRANGE", P .. "active", 0, sampleMax - 1))
  if scanned < sampleMax then
    local ids = redis.call("LRANGE", P .. "wait", -(sampleMax - scanned + 1), -1)
    local reversed = {}
    for i = #ids, 1, -1 do
      table.insert(reversed, ids[i])
    end
    sample(reversed)
  end
  if scanned < sampleMax then
    sample(redis.call("ZRANGE", P .. "prioritized", 0, sampleMax - scanned - 1))
  end
  if scanned < sampleMax then
    sample(redis.call("ZRANGE", P .. "delayed", 0, sampleMax - scanned - 1))
  end
end
local flatNames = {}
for name, n in pairs(names) do
  table.insert(flatNames, name)
  table.insert(flatNames, n)
end
local open = counts[1] + counts[3] + counts[4] + counts[5]

local finishedTotals = {redis.call("HGET", P .. "metrics:completed", "count"),
  redis.call("HGET", P .. "metrics:failed", "count")}

return {counts, redis.call("HGETALL", P .. "meta"), priorities, morePriorities, flatNames, scanned,
  open > sampleMax and 1 or 0, finishedTotals}
