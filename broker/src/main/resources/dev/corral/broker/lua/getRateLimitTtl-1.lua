--[[
  How long the queue stays rate limited (BullMQ's getRateLimitTtl), read-only. With a maximum (the
  argument, else meta.max) the limiter counts as reached only when its counter is >= that maximum;
  without one, any limiter key counts (a manual rateLimit stores 9007199254740991).

  KEYS[1]  P (reads P limiter, P meta)

  ARGV[1]  max jobs per window, or "0" to use meta.max when set

  Output: {ttl}: the limiter's PTTL in ms when limited; 0 when a maximum is known and not reached; -2 when
          there is no limiter key; -1 when it has no expiry
]]
local P = KEYS[1]
local max = tonumber(ARGV[1])
if max <= 0 then
  max = tonumber(redis.call("HGET", P .. "meta", "max")) or 0
end
local ttl = redis.call("PTTL", P .. "limiter")
if max > 0 and ttl >= 0 then
  local counter = tonumber(redis.call("GET", P .. "limiter")) or 0
  if counter < max then
    return {0}
  end
end
return {ttl}
