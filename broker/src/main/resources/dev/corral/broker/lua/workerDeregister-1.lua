--[[
  Removes a worker that closes. Its pending commands are audited as undelivered; taken ones stay for their
  acknowledgement; the audit list expires after the audit ttl.

  KEYS[1]  B, the registry base key "{<prefix>:workers}:"

  ARGV[1]  worker id
  ARGV[2]  now (ms)
  ARGV[3]  audit entries kept
  ARGV[4]  audit ttl (s)

  Output: {1} removed, {0} it was not registered
]]
local B = KEYS[1]
local id = ARGV[1]

-- @include "workers"

if redis.call("EXISTS", workerKey(B, id)) == 0 then
  return {0}
end
removeWorker(B, id, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), false)
return {1}
