package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.auth.Caller;
import io.opentelemetry.api.trace.SpanContext;

/**
 * One HTTP request as it ended, for the request metrics and the access log.
 *
 * @param method the HTTP method, {@code _OTHER} for one the conventions do not know
 * @param route the route template, or {@code null} when no route matched
 * @param status the response status
 * @param nanos from the filter's entry to the response's completion (an SSE stream: its end)
 * @param bytes the response body bytes written
 * @param requestId the request id ({@code X-Request-ID})
 * @param caller the authenticated caller, or {@code null} (probes, refused requests)
 * @param span the HTTP SERVER span's context (invalid when untraced)
 */
record CompletedRequest(String method, String route, int status, long nanos, long bytes, String requestId,
    Caller caller, SpanContext span) {}
