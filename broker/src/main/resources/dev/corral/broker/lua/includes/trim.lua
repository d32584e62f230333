--[[
  Keep-jobs trimming of the completed / failed sets (BullMQ's removeOnComplete / removeOnFail).
  Needs common.lua and parents.lua.
]]

-- Deletes one trimmed job: detached from its parent first (a parent left without pending children moves
-- to wait), then its hash and sub-keys.
local function deleteTrimmedJob(P, jobId)
  local jobKey = P .. jobId
  local link = redis.call("HMGET", jobKey, "parentKey", "parent")
  if link[1] then
    detachDeletedChild(jobKey, link[1], link[2])
  end
  deleteJobKeys(jobKey)
end

-- Deletes the finished jobs in setKey beyond the keep policy: older than age seconds (at most limit of
-- them, the most recent first, as BullMQ), and all but the newest count (count > 0).
local function trimFinished(P, setKey, now, count, age, limit)
  if age then
    local cutoff = now - age * 1000
    local old = redis.call("ZREVRANGEBYSCORE", setKey, cutoff, "-inf", "LIMIT", 0, limit)
    for _, jobId in ipairs(old) do
      deleteTrimmedJob(P, jobId)
      redis.call("ZREM", setKey, jobId)
    end
  end
  if count and count > 0 then
    local extra = redis.call("ZREVRANGE", setKey, count, -1)
    for _, jobId in ipairs(extra) do
      deleteTrimmedJob(P, jobId)
    end
    if #extra > 0 then
      redis.call("ZREMRANGEBYRANK", setKey, 0, -(count + 1))
    end
  end
end
