--[[
  Parent/child bookkeeping for BullMQ flows (a child's hash has parentKey = the parent's full job key and
  parent = {"id","queueKey"[,"fpof"|"cpof"|"idof"|"rdof"]}). Needs common.lua.
]]

-- Moves a parent (already taken out of waiting-children) to delayed, prioritized or the front of wait
-- in its own queue, honouring its stored delay and priority.
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

-- Decodes the child's parent JSON; returns the parent queue base and id, or nil.
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

-- A child failed for good: apply the failure policy carried in its parent JSON.
local function onChildFailed(childKey, parentKey, parent, failedReason, now)
  local PQ = parent.queueKey .. ":"
  if parent.fpof then
    redis.call("SREM", parentKey .. ":dependencies", childKey)
    redis.call("ZADD", parentKey .. ":unsuccessful", now, childKey)
    local defa = "child " .. childKey .. " failed"
    if redis.call("ZREM", PQ .. "waiting-children", parent.id) == 1
        or redis.call("ZREM", PQ .. "delayed", parent.id) == 1 then
      redis.call("HSET", parentKey, "defa", defa)
      redis.call("HSET", parentKey, "delay", 0)
      moveParentToWait(PQ, parent.id, now)
    elseif not redis.call("ZSCORE", PQ .. "failed", parent.id) and redis.call("EXISTS", parentKey) == 1 then
      redis.call("HSET", parentKey, "defa", defa)
    end
  elseif parent.cpof then
    if redis.call("SREM", parentKey .. ":dependencies", childKey) == 1 then
      redis.call("HSET", parentKey .. ":failed", childKey, failedReason)
    end
    if redis.call("ZREM", PQ .. "waiting-children", parent.id) == 1 then
      moveParentToWait(PQ, parent.id, now)
    end
  elseif parent.idof then
    if redis.call("SREM", parentKey .. ":dependencies", childKey) == 1 then
      redis.call("HSET", parentKey .. ":failed", childKey, failedReason)
      releaseParentIfReady(PQ, parent.id, now)
    end
  elseif parent.rdof then
    if redis.call("SREM", parentKey .. ":dependencies", childKey) == 1 then
      releaseParentIfReady(PQ, parent.id, now)
    end
  end
end
