--[[
  Extends the locks of a worker's active jobs (BullMQ's extendLocks). A lock is extended only while it
  still holds the same token; extending also takes the job out of P stalled.
  For a DAG node (a job hash with dagKey) whose lock was extended, it also reads its execution's status, so
  the worker can tell the processor to stop once the execution failed or was cancelled (docs/dag.md). One
  HGET per extended job, and one per distinct execution; nothing more for jobs that are not DAG nodes.

  KEYS[1]  P (touches P<jobId>:lock, P stalled; reads P<jobId> dagKey and <dagKey> status)

  ARGV[1]  lock duration (ms)
  ARGV[2..] pairs: job id, token

  Output: {lost, stopped}: lost = the ids whose lock could not be extended (lost or taken by someone else);
          stopped = ids of extended DAG nodes whose execution is not running (failed, cancelled, completed,
          or its record expired)
]]
local P = KEYS[1]
local duration = ARGV[1]
local lost = {}
local stopped = {}
local statusByExecution = {}
for i = 2, #ARGV, 2 do
  local jobId = ARGV[i]
  local token = ARGV[i + 1]
  local lockKey = P .. jobId .. ":lock"
  if redis.call("GET", lockKey) == token then
    redis.call("SET", lockKey, token, "PX", duration)
    redis.call("SREM", P .. "stalled", jobId)
    local dagKey = redis.call("HGET", P .. jobId, "dagKey")
    if dagKey then
      local status = statusByExecution[dagKey]
      if status == nil then
        status = redis.call("HGET", dagKey, "status") or ""
        statusByExecution[dagKey] = status
      end
      if status ~= "running" then
        table.insert(stopped, jobId)
      end
    end
  else
    table.insert(lost, jobId)
  end
end
return {lost, stopped}
