--[[
  Helpers of the worker registry scripts. B is the registry base key "{<prefix>:workers}:" (every registry
  key starts with it, so all of them share one hash slot on Redis Cluster).

  Keys (docs/workers.md): B index (zset id -> last heartbeat ms), B deadlines (zset id -> ms at which the
  worker counts as dead), B w:<id> (hash), B w:<id>:jobs (hash job ref -> job JSON), B w:<id>:queue (list of
  pending command ids), B w:<id>:cmds (hash command id -> command JSON), B w:<id>:taken (hash command id ->
  taken at), B w:<id>:audit (list, newest first), B owners (hash job ref -> id of the live worker running it),
  B handoffs (hash job ref -> id of the worker that owned it before its current owner took it over), B orphans (hash job ref -> id of a dead worker that was running it), B stuck:<hour> (hash), B stuck:<hour>:log
  (list). A job ref is "<queue>:<jobId>".
]]

-- A decoded JSON value as a string ("" for null / missing).
local function str(v)
  if type(v) == "string" then
    return v
  end
  return ""
end

local function workerKey(B, id)
  return B .. "w:" .. id
end

-- The live worker running job ref (B owners), unless it took the job at or after `before` (ms, 0 = no bound):
-- a job recovered as stalled can be taken by another worker before its event is recorded, and that worker was
-- not the one it was stuck on.
local function ownerBefore(B, ref, before)
  local id = redis.call("HGET", B .. "owners", ref)
  if not id or before <= 0 then
    return id
  end
  local json = redis.call("HGET", workerKey(B, id) .. ":jobs", ref)
  if json then
    local ok, job = pcall(cjson.decode, json)
    if ok and type(job) == "table" and type(job.started_at) == "number" and job.started_at >= before then
      return redis.call("HGET", B .. "handoffs", ref) or nil
    end
  end
  return id
end

-- `id` now runs job ref: it becomes the owner; an owner it takes over (a worker whose job was recovered as
-- stalled and that was not swept yet) is kept in B handoffs, so an event recorded later can still name it.
local function takeOwnership(B, ref, id)
  local previous = redis.call("HGET", B .. "owners", ref)
  if previous and previous ~= id then
    redis.call("HSET", B .. "handoffs", ref, previous)
  else
    redis.call("HDEL", B .. "handoffs", ref)
  end
  redis.call("HSET", B .. "owners", ref, id)
end

-- `id` no longer runs job ref: the ref leaves B owners (and its handoff) if `id` is still the owner.
local function releaseOwnership(B, ref, id)
  if redis.call("HGET", B .. "owners", ref) == id then
    redis.call("HDEL", B .. "owners", ref)
    redis.call("HDEL", B .. "handoffs", ref)
  end
end

-- One stuck-job event into its hour bucket: counters per group (a workflow, else a queue's job name), the
-- reason counts, the last time, and a capped log of the events themselves; both keys expire `retention`
-- seconds after the hour ends. `worker` empty: the live owner that took the job before `at` (B owners), else
-- the owner it took the job over from (B handoffs), else the dead one (B orphans). `at`: when it happened (ms; 0 = now), the time the log entry shows.
local function recordStuck(B, now, retention, logMax, queue, jobId, name, execId, workflowId, worker, reason,
    detail, at)
  local ref = queue .. ":" .. jobId
  if worker == "" then
    worker = ownerBefore(B, ref, at) or redis.call("HGET", B .. "orphans", ref) or ""
  end
  if at <= 0 then
    at = now
  end
  redis.call("HDEL", B .. "orphans", ref)
  local hour = math.floor(now / 3600000)
  local bucket = B .. "stuck:" .. string.format("%d", hour)
  local group
  if workflowId ~= "" then
    group = "wf:" .. workflowId
  else
    group = "job:" .. queue .. ":" .. name
  end
  redis.call("HINCRBY", bucket, "n|" .. group, 1)
  redis.call("HSET", bucket, "last|" .. group, now)
  redis.call("HINCRBY", bucket, "r|" .. reason .. "|" .. group, 1)
  local log = bucket .. ":log"
  redis.call("LPUSH", log, cjson.encode({queue = queue, job_id = jobId, job_name = name, execution_id = execId,
    workflow_id = workflowId, worker_id = worker, reason = reason, detail = detail, at = at}))
  redis.call("LTRIM", log, 0, logMax - 1)
  local expireAt = (hour + 1) * 3600 + retention
  redis.call("EXPIREAT", bucket, expireAt)
  redis.call("EXPIREAT", log, expireAt)
end

-- Pending (never taken) commands of a worker that goes away are audited as undelivered, not lost silently.
local function auditUndelivered(B, id, now, auditMax, auditTtl)
  local W = workerKey(B, id)
  local pending = redis.call("LRANGE", W .. ":queue", 0, -1)
  for _, cmdId in ipairs(pending) do
    local cmd = redis.call("HGET", W .. ":cmds", cmdId)
    if cmd then
      redis.call("LPUSH", W .. ":audit", cjson.encode({command = cjson.decode(cmd), taken_at = 0, acked_at = now,
        outcome = "undelivered", detail = "the worker went away before reading it"}))
      redis.call("HDEL", W .. ":cmds", cmdId)
    end
  end
  redis.call("DEL", W .. ":queue")
  redis.call("LTRIM", W .. ":audit", 0, auditMax - 1)
  redis.call("EXPIRE", W .. ":audit", auditTtl)
  -- commands taken but not yet acknowledged stay for their ack (a shutdown acks after deregistering)
  if redis.call("EXISTS", W .. ":cmds") == 1 then
    redis.call("EXPIRE", W .. ":cmds", auditTtl)
    redis.call("EXPIRE", W .. ":taken", auditTtl)
  end
end

-- Removes a worker's entries; its job refs leave B owners (only where it is still the owner) and, when
-- `orphan` is true, go to B orphans so a later stalled recovery can still name the worker.
local function removeWorker(B, id, now, auditMax, auditTtl, orphan)
  local W = workerKey(B, id)
  local jobs = redis.call("HKEYS", W .. ":jobs")
  for _, ref in ipairs(jobs) do
    releaseOwnership(B, ref, id)
    if orphan then
      redis.call("HSET", B .. "orphans", ref, id)
    end
  end
  if orphan and redis.call("HLEN", B .. "orphans") > 100000 then
    redis.call("DEL", B .. "orphans") -- bounded: refs of jobs that were never recovered (removed meanwhile)
  end
  auditUndelivered(B, id, now, auditMax, auditTtl)
  redis.call("DEL", W, W .. ":jobs")
  redis.call("ZREM", B .. "index", id)
  redis.call("ZREM", B .. "deadlines", id)
end
