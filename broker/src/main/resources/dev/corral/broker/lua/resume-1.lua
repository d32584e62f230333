--[[
  Resumes the queue: deletes meta.paused, migrates a legacy (BullMQ <= 5) P paused list into wait, and
  restores the marker so workers wake up.

  KEYS[1]  P (touches P meta, P paused, P wait, P prioritized, P delayed, P marker, P events)

  ARGV[1]  "1" to emit the resumed event (the first call), "0" for follow-up migration calls

  Output: {number of legacy ids still to migrate}; call again until 0
  Events: resumed.
]]
local P = KEYS[1]

-- @include "common"

redis.call("HDEL", P .. "meta", "paused")
local left = 0
if redis.call("EXISTS", P .. "paused") == 1 then
  if redis.call("EXISTS", P .. "wait") == 0 then
    redis.call("RENAME", P .. "paused", P .. "wait")
  else
    local batch = redis.call("LRANGE", P .. "paused", 0, 6999)
    if #batch > 0 then
      redis.call("RPUSH", P .. "wait", unpack(batch))
      redis.call("LTRIM", P .. "paused", #batch, -1)
    end
    left = redis.call("LLEN", P .. "paused")
  end
end
if redis.call("LLEN", P .. "wait") + redis.call("ZCARD", P .. "prioritized") > 0 then
  addBaseMarkerIfReady(P)
else
  setDelayMarker(P)
end
if ARGV[1] == "1" then
  emit(P, maxEvents(P), "resumed")
end
return {left}
