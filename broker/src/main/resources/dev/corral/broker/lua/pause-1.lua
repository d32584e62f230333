--[[
  Pauses the queue (BullMQ 6 semantics): sets meta.paused and deletes the marker, so workers stop taking
  jobs. Jobs stay in wait and prioritized; new adds go there without a marker.

  KEYS[1]  P (touches P meta, P marker, P events)

  Output: {0}
  Events: paused.
]]
local P = KEYS[1]

-- @include "common"

redis.call("HSET", P .. "meta", "paused", 1)
redis.call("DEL", P .. "marker")
emit(P, maxEvents(P), "paused")
return {0}
