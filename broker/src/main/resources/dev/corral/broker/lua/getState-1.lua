--[[
  The state of a job, from the key that holds its id (BullMQ's getState order), read-only.

  KEYS[1]  P (reads P completed, P failed, P delayed, P prioritized, P active, P wait, P paused,
           P waiting-children)

  ARGV[1]  job id

  Output: {state}: completed | failed | delayed | prioritized | active | waiting | waiting-children | unknown
]]
-- @include "common"

return {jobState(KEYS[1], ARGV[1])}
