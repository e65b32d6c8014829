package dev.mcpgw.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One finished {@code tools/call} as the MCP path hands it over: who, which tool, how it ended and its payloads. The
 * payloads are only counted (tokens) and read for reported usage; they are never stored.
 *
 * @param tool the tool's name as the client called it
 * @param upstream the upstream's registered name
 * @param ok false when the call ended with a JSON-RPC error or a result with {@code isError}
 * @param admitted false for a call a quota rejected (never forwarded; counted as nothing)
 * @param durationNanos from the dispatcher's start of the call to its end
 * @param arguments the arguments sent upstream, or {@code null}
 * @param result the result the client got, or {@code null} for an error
 * @param endedAtMillis epoch milliseconds of the end
 */
public record ToolCall(String tenant, String user, String tool, String upstream, boolean ok, boolean admitted,
    long durationNanos, JsonNode arguments, JsonNode result, long endedAtMillis) {}
