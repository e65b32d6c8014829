-- wrk script: one MCP tools/call per request on an initialized Streamable HTTP session.
-- Env: MCP_SESSION (Mcp-Session-Id), MCP_TOOL (tool name), MCP_TOKEN (optional bearer token),
-- MCP_PROTOCOL_VERSION (the session's revision).
local session = os.getenv("MCP_SESSION")
local tool = os.getenv("MCP_TOOL")
local token = os.getenv("MCP_TOKEN")
local id = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = os.getenv("MCP_PROTOCOL_VERSION") or "2025-11-25"
if session and session ~= "" then wrk.headers["Mcp-Session-Id"] = session end
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

request = function()
  id = id + 1
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"%s","arguments":{"message":"hello"}}}', id, tool)
  return wrk.format(nil, nil, nil, body)
end

-- each wrk thread has its own Lua state: count wrong answers per thread and add them up in done()
local threads = {}
setup = function(thread) table.insert(threads, thread) end
wrong = 0
response = function(status, headers, body)
  -- a right answer is a result echoing the message; a JSON-RPC error or isError result counts as wrong
  if status ~= 200 or not string.find(body, "Echo: hello", 1, true) then wrong = wrong + 1 end
end

done = function(summary, latency, requests)
  local errors = 0
  for _, t in ipairs(threads) do errors = errors + (t:get("wrong") or 0) end
  -- one machine-readable line for the driver script
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx_or_wrong=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.requests, errors + summary.errors.status))
end
