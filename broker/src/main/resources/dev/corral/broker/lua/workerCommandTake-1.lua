--[[
  Takes a worker's pending commands, oldest first. Taking is atomic, so a command read both after a nudge
  and at a heartbeat is handed out once.

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  worker id
  ARGV[2]  now (ms)
  ARGV[3]  most commands taken

  Output: {command JSON, ...}
]]
local B = KEYS[1]
local id = ARGV[1]

-- @include "workers"

local W = workerKey(B, id)
local out = {}
for _ = 1, tonumber(ARGV[3]) do
  local cmdId = redis.call("LPOP", W .. ":queue")
  if not cmdId then
    break
  end
  local cmd = redis.call("HGET", W .. ":cmds", cmdId)
  if cmd then
    redis.call("HSET", W .. ":taken", cmdId, ARGV[2])
    table.insert(out, cmd)
  end
end
return out
