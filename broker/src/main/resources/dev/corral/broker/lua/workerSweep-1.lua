--[[
  Removes workers whose deadline passed (dead: missed their dead-after count of heartbeats), at most once
  per throttle interval whoever calls it (B sweep). Each job a dead worker reported in its last heartbeat is
  recorded in the stuck history as "dead-worker" and its ref moves to B orphans; the jobs themselves are
  recovered by the queues' stalled check once their locks expire.

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  now (ms)
  ARGV[2]  throttle (ms; 0 = not throttled)
  ARGV[3]  stuck history retention (s)
  ARGV[4]  stuck log entries kept per hour
  ARGV[5]  audit entries kept
  ARGV[6]  audit ttl (s)
  ARGV[7]  most workers removed by one call

  Output: {{id, {job JSON...}}, ...} the workers removed (empty when throttled or none is dead)
]]
local B = KEYS[1]
local now = tonumber(ARGV[1])
local throttle = tonumber(ARGV[2])

-- @include "workers"

if throttle > 0 then
  if redis.call("SET", B .. "sweep", now, "NX", "PX", throttle) == false then
    return {}
  end
end
local out = {}
local dead = redis.call("ZRANGEBYSCORE", B .. "deadlines", "-inf", now, "LIMIT", 0, tonumber(ARGV[7]))
for _, id in ipairs(dead) do
  local jobs = redis.call("HVALS", workerKey(B, id) .. ":jobs")
  for _, json in ipairs(jobs) do
    local job = cjson.decode(json)
    recordStuck(B, now, tonumber(ARGV[3]), tonumber(ARGV[4]), str(job.queue), str(job.job_id), str(job.name),
      str(job.execution_id), str(job.workflow_id), id, "dead-worker", "no heartbeat from the worker", 0)
  end
  removeWorker(B, id, now, tonumber(ARGV[5]), tonumber(ARGV[6]), true)
  table.insert(out, {id, jobs})
end
return out
