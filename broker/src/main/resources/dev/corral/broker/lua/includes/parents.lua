--[[
  Parent/child bookkeeping for BullMQ flows (a child's hash has parentKey = the parent's full job key and
  parent = {"id","queueKey"[,"fpof"|"cpof"|"idof"|"rdof"]}). Needs common.lua.
]]

-- Moves a parent (already taken out of waiting-children or delayed) to delayed, prioritized or the front of
-- wait in its own queue, honouring its stored delay and priority.
local function moveParentToWait(PQ, parentId, now)
  local parentKey = PQ .. parentId
  local fields = redis.call("HMGET", parentKey, "delay", "priority")
  local delay = tonumber(fields[1]) or 0
  local priority = tonumber(fields[2]) or 0
  local maxLen = maxEvents(PQ)
  if delay > 0 then
    local due = now + delay
    redis.call("ZADD", PQ .. "delayed", due * 4096, parentId)
    emit(PQ, maxLen, "delayed", "jobId", parentId, "delay", fmtInt(due))
    setDelayMarker(PQ)
    return
  end
  if priority > 0 then
    redis.call("ZADD", PQ .. "prioritized", priorityScore(PQ, priority), parentId)
  else
    redis.call("RPUSH", PQ .. "wait", parentId)
  end
  addBaseMarkerIfReady(PQ)
  emit(PQ, maxLen, "waiting", "jobId", parentId, "prev", "waiting-children")
end

-- Releases the parent when it has no pending dependencies left and sits in waiting-children.
local function releaseParentIfReady(PQ, parentId, now)
  local parentKey = PQ .. parentId
  if redis.call("SCARD", parentKey .. ":dependencies") == 0
      and redis.call("ZREM", PQ .. "waiting-children", parentId) == 1 then
    moveParentToWait(PQ, parentId, now)
  end
end

-- Decodes the child's parent JSON; returns the parent table ({id, queueKey, flags}), or nil.
local function parentOf(parentJson)
  if not parentJson then
    return nil
  end
  local ok, parent = pcall(cjson.decode, parentJson)
  if not ok or type(parent) ~= "table" or not parent.id or not parent.queueKey then
    return nil
  end
  return parent
end

-- A child completed: record its return value in the parent and maybe release the parent.
local function onChildCompleted(childKey, parentKey, parent, returnValue, now)
  if redis.call("SREM", parentKey .. ":dependencies", childKey) == 1 then
    redis.call("HSET", parentKey .. ":processed", childKey, returnValue)
    releaseParentIfReady(parent.queueKey .. ":", parent.id, now)
  end
end

-- failParentOnFailure: the parent gets the deferred failure "child <childKey> failed"; when it waits for its
-- children (or is delayed, which then no longer applies) it moves on so a worker fails it.
local function failParentOfChild(PQ, parentKey, parentId, childKey, now)
  if redis.call("EXISTS", parentKey) == 0 then
    return
  end
  local defa = "child " .. childKey .. " failed"
  if redis.call("ZREM", PQ .. "waiting-children", parentId) == 1 then
    redis.call("HSET", parentKey, "defa", defa)
    moveParentToWait(PQ, parentId, now)
  elseif redis.call("ZREM", PQ .. "delayed", parentId) == 1 then
    redis.call("HSET", parentKey, "delay", 0, "defa", defa)
    moveParentToWait(PQ, parentId, now)
  elseif not redis.call("ZSCORE", PQ .. "failed", parentId) then
    redis.call("HSET", parentKey, "defa", defa)
  end
end

-- A child failed for good: apply the failure policy carried in its parent JSON. Only a child still pending in
-- the parent's dependencies counts; without a policy the child stays pending (the parent keeps waiting).
local function onChildFailed(childKey, parentKey, parent, failedReason, now)
  if not (parent.fpof or parent.cpof or parent.idof or parent.rdof) then
    return
  end
  if redis.call("SREM", parentKey .. ":dependencies", childKey) == 0 then
    return
  end
  local PQ = parent.queueKey .. ":"
  if parent.fpof then
    redis.call("ZADD", parentKey .. ":unsuccessful", now, childKey)
    failParentOfChild(PQ, parentKey, parent.id, childKey, now)
  elseif parent.cpof then
    redis.call("HSET", parentKey .. ":failed", childKey, failedReason)
    if redis.call("EXISTS", parentKey) == 1 and redis.call("ZREM", PQ .. "waiting-children", parent.id) == 1 then
      moveParentToWait(PQ, parent.id, now)
    end
  else
    if parent.idof then
      redis.call("HSET", parentKey .. ":failed", childKey, failedReason)
    end
    releaseParentIfReady(PQ, parent.id, now)
  end
end

-- The parent's queue base key and id: from the parent JSON when there is one, else from the key (the id is
-- what follows the last ':').
local function parentQueueAndId(parentKey, parentJson)
  local parent = parentOf(parentJson)
  if parent then
    return parent.queueKey .. ":", parent.id
  end
  local base, id = string.match(parentKey, "^(.*:)([^:]+)$")
  return base, id
end

-- Takes a job that is being deleted out of its parent's pending dependencies (a finished job that is not
-- kept, keep-jobs trimming, remove, clean). A parent left without pending dependencies in waiting-children
-- goes to the end of its queue's wait list as BullMQ does on deletion: its delay and priority are not applied.
-- Returns true when the job was still pending in the parent.
local function detachDeletedChild(childKey, parentKey, parentJson)
  if not parentKey or parentKey == "" then
    return false
  end
  local depsKey = parentKey .. ":dependencies"
  if redis.call("SREM", depsKey, childKey) == 0 then
    return false
  end
  if redis.call("SCARD", depsKey) == 0 then
    local PQ, parentId = parentQueueAndId(parentKey, parentJson)
    if PQ and redis.call("ZREM", PQ .. "waiting-children", parentId) == 1 then
      redis.call("RPUSH", PQ .. "wait", parentId)
      addBaseMarkerIfReady(PQ)
      emitUntrimmed(PQ, "waiting", "jobId", parentId, "prev", "waiting-children")
    end
  end
  return true
end
