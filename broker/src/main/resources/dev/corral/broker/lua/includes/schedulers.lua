--[[
  Job schedulers (BullMQ 6.7.0's upsertJobScheduler): the P repeat zset (scheduler id scored by the due time
  of its current iteration), the P repeat:<id> hash, and the iterations repeat:<id>:<millis>.
  Needs common.lua and adding.lua. Arguments that may be absent arrive as "" (see optArg).
]]

local function optArg(value)
  if value == nil or value == "" or value == false then
    return nil
  end
  return value
end

-- The due time of an `every` scheduler's next iteration, and the offset it keeps (BullMQ's arithmetic):
-- without a previous iteration: startDate (or now when it is past), else the next slot of `every` shifted by
-- offset, else now; after one: prev + every, or, when that is already past, the next aligned slot after now.
-- An offset of 0 becomes the position of the result within its slot.
local function everyNextMillis(prevMillis, every, now, offset, startDate)
  offset = tonumber(offset)
  local nextMillis
  if not prevMillis then
    if startDate then
      nextMillis = tonumber(startDate)
      if nextMillis <= now then
        nextMillis = now
      end
    elseif offset and offset > 0 then
      nextMillis = math.floor(now / every) * every + offset
      if nextMillis <= now then
        nextMillis = nextMillis + every
      end
    else
      nextMillis = now
    end
  else
    nextMillis = prevMillis + every
    if nextMillis < now then
      local aligned = math.floor(now / every) * every + (offset or 0)
      if aligned <= now then
        nextMillis = aligned + every
      else
        nextMillis = aligned
      end
    end
  end
  if not offset or offset == 0 then
    offset = nextMillis - math.floor(nextMillis / every) * every
  end
  return math.floor(nextMillis), math.floor(offset)
end

-- The id of a scheduler's iteration due at millis.
local function iterationId(schedulerId, millis)
  return "repeat:" .. schedulerId .. ":" .. fmtInt(millis)
end

-- Stores an iteration as BullMQ's addJobFromScheduler: opts (a decoded table) get delay and jobId, the hash
-- gets rjk, and the job goes to delayed (delay > 0) or is made ready (with the marker).
local function addIteration(P, maxLen, schedulerId, jobId, name, data, opts, now, delay)
  opts["delay"] = delay
  opts["jobId"] = jobId
  local priority = tonumber(opts["priority"]) or 0
  local dedupId = ""
  if type(opts["de"]) == "table" and opts["de"]["id"] then
    dedupId = tostring(opts["de"]["id"])
  end
  local ready = storeJob(P, maxLen, jobId, name, data, cjson.encode(opts), now, delay, priority,
    opts["lifo"] == true, "", "", dedupId, false)
  redis.call("HSET", P .. jobId, "rjk", schedulerId)
  if ready then
    addBaseMarkerIfReady(P)
  end
end
