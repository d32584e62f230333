--[[
  Moves an active job to waiting-children while it has children left to finish (BullMQ's
  moveToWaitingChildren): a processor adds children to its own job, then hands the job over to wait for them;
  the last child to finish releases it back to wait, and a worker runs it again.

  KEYS[1]  P (reads P<jobId>:dependencies, P<jobId>:unsuccessful; touches P active, P stalled,
           P waiting-children, P events, P<jobId>:lock)

  ARGV[1]  job id
  ARGV[2]  lock token ("0" = no lock check)
  ARGV[3]  a child's job key "<prefix>:<queue>:<id>" to wait for, or "" to wait for any pending child
  ARGV[4]  now (ms), the score in waiting-children

  Output: {0} moved | {1} nothing to wait for (the child is not pending, or no child is) | -1 missing job,
          -2 missing lock, -3 not active, -6 lock held by another token, -9 a child failed (each as {code})
  Events: waiting-children (prev active), untrimmed as BullMQ writes it.
]]
local P = KEYS[1]
local jobId = ARGV[1]
local jobKey = P .. jobId

-- @include "common"
-- @include "finish"

if redis.call("EXISTS", jobKey) == 0 then
  return {-1}
end
if redis.call("ZCARD", jobKey .. ":unsuccessful") ~= 0 then
  return {-9}
end
local pending
if ARGV[3] ~= "" then
  pending = redis.call("SISMEMBER", jobKey .. ":dependencies", ARGV[3]) ~= 0
else
  pending = redis.call("SCARD", jobKey .. ":dependencies") ~= 0
end
if not pending then
  return {1}
end
local taken = takeOutOfActive(P, jobId, ARGV[2], "", "")
if taken ~= 0 then
  return {taken}
end
redis.call("ZADD", P .. "waiting-children", ARGV[4], jobId)
emitUntrimmed(P, "waiting-children", "jobId", jobId, "prev", "active")
return {0}
