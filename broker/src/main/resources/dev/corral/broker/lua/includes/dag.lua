--[[
  DAG execution bookkeeping (docs/dag.md). E is an execution key "<p>:dag:<execId>" (its sub-keys are
  E:nodes, E:state, E:pending, E:ready); the DAG base "<p>:dag:" holds the index zsets, the queue counters
  and the event stream. Needs common.lua.
]]

local DAG_STREAM_MAXLEN = 10000

-- "<p>:dag:" of an execution key (execution ids contain no ':').
local function dagBase(E)
  return string.match(E, "^(.*:)[^:]*$")
end

local function dagExecId(E)
  return string.match(E, "([^:]*)$")
end

-- XADD <p>:dag:stream MAXLEN ~ 10000 * event <name> execId <id> [field value ...]
local function dagEmit(E, name, ...)
  redis.call("XADD", dagBase(E) .. "stream", "MAXLEN", "~", DAG_STREAM_MAXLEN, "*", "event", name,
    "execId", dagExecId(E), ...)
end
