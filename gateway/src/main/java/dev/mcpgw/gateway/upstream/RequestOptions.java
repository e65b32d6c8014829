package dev.mcpgw.gateway.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to send one request upstream.
 *
 * @param timeout how long to wait for the answer before failing with {@link UpstreamException.Kind#TIMEOUT}; retries
 *     of a retryable request happen within it
 * @param retryable whether the request is idempotent (list calls) and may be retried with backoff
 * @param headers extra HTTP headers for this request only (trace context); ignored by stdio
 * @param listener receives the notifications and server-to-client requests that belong to this request (those on its
 *     Streamable HTTP response stream, and progress notifications carrying its {@code _meta.progressToken}) instead
 *     of the session's listener; {@code null} for the session's listener
 */
public record RequestOptions(Duration timeout, boolean retryable, Map<String, String> headers,
    UpstreamListener listener) {
  public RequestOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public RequestOptions(Duration timeout, boolean retryable, Map<String, String> headers) {
    this(timeout, retryable, headers, null);
  }

  public static RequestOptions call(Duration timeout) {
    return new RequestOptions(timeout, false, Map.of(), null);
  }

  public static RequestOptions idempotent(Duration timeout) {
    return new RequestOptions(timeout, true, Map.of(), null);
  }

  /** The same options with {@code headers} for this request only (trace context). */
  public RequestOptions withHeaders(Map<String, String> headers) {
    return new RequestOptions(timeout, retryable, headers, listener);
  }

  /** The same options routing this request's own notifications and requests to {@code listener}. */
  public RequestOptions withListener(UpstreamListener listener) {
    return new RequestOptions(timeout, retryable, headers, listener);
  }
}
