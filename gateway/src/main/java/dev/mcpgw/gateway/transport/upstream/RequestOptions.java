package dev.mcpgw.gateway.transport.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to send one request upstream.
 *
 * @param timeout how long to wait for the answer before failing with {@link UpstreamException.Kind#TIMEOUT}
 * @param retryable whether the request is idempotent (list calls) and may be retried with backoff
 * @param headers extra HTTP headers for this request only (trace context); ignored by stdio
 */
public record RequestOptions(Duration timeout, boolean retryable, Map<String, String> headers) {
  public RequestOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public static RequestOptions call(Duration timeout) {
    return new RequestOptions(timeout, false, Map.of());
  }

  public static RequestOptions idempotent(Duration timeout) {
    return new RequestOptions(timeout, true, Map.of());
  }
}
