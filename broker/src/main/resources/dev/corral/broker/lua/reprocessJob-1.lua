--[[
  Retries a finished job (BullMQ's reprocessJob, behind job.retry): out of completed or failed, result
  fields cleared, back to wait (LPUSH, RPUSH when opts.lifo) or prioritized, with the base marker unless
  paused or maxed. A child goes back into its parent's pending dependencies and out of the parent's
  :processed, :failed and :unsuccessful.

  KEYS[1]  P (touches P completed|failed, P wait, P prioritized, P pc, P marker, P events, P meta,
           P<jobId>, the parent's :dependencies, :processed, :failed, :unsuccessful)

  ARGV[1]  job id
  ARGV[2]  state: completed | failed
  ARGV[3]  reset attemptsMade (atm) "1" | "0"
  ARGV[4]  reset attemptsStarted (ats) "1" | "0"

  Output: {0} | {-1} missing job | {-3} not in that state
  Events: waiting (prev completed|failed).
]]
local P = KEYS[1]
local jobId = ARGV[1]
local state = ARGV[2]
local jobKey = P .. jobId

-- @include "common"

if redis.call("EXISTS", jobKey) == 0 then
  return {-1}
end
if redis.call("ZREM", P .. state, jobId) == 0 then
  return {-3}
end
local resultField = state == "completed" and "returnvalue" or "failedReason"
redis.call("HDEL", jobKey, "finishedOn", "processedOn", resultField)
if ARGV[3] == "1" then
  redis.call("HDEL", jobKey, "atm")
end
if ARGV[4] == "1" then
  redis.call("HDEL", jobKey, "ats")
end

local fields = redis.call("HMGET", jobKey, "priority", "opts", "parentKey")
local lifo = false
local ok, opts = pcall(cjson.decode, fields[2] or "{}")
if ok and type(opts) == "table" and opts.lifo == true then
  lifo = true
end
pushReady(P, jobId, tonumber(fields[1]) or 0, lifo)
addBaseMarkerIfReady(P)

local parentKey = fields[3]
if parentKey and redis.call("EXISTS", parentKey) == 1 then
  redis.call("SADD", parentKey .. ":dependencies", jobKey)
  redis.call("HDEL", parentKey .. ":processed", jobKey)
  redis.call("HDEL", parentKey .. ":failed", jobKey)
  redis.call("ZREM", parentKey .. ":unsuccessful", jobKey)
end

emit(P, maxEvents(P), "waiting", "jobId", jobId, "prev", state)
return {0}
