package dev.mcpgw.gateway.federation;

import dev.mcpgw.gateway.upstream.UpstreamException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for an upstream future, turning every failure into an {@link UpstreamException} that names the upstream. */
final class UpstreamCalls {
  // the pool enforces its own timeouts; this margin only guards against a future that is never completed
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private UpstreamCalls() {}

  static <T> T await(CompletableFuture<T> future, String upstream, Duration timeout) {
    try {
      return future.get(timeout.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpstreamException u) {
        throw u;
      }
      throw new UpstreamException(upstream, UpstreamException.Kind.UNAVAILABLE,
          "upstream '" + upstream + "' failed: " + describe(e.getCause()), null, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new UpstreamException(upstream, UpstreamException.Kind.TIMEOUT,
          "upstream '" + upstream + "' did not answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(upstream, UpstreamException.Kind.UNAVAILABLE, "interrupted waiting for upstream '" + upstream + "'");
    }
  }

  static String describe(Throwable t) {
    return t == null || t.getMessage() == null ? String.valueOf(t) : t.getMessage();
  }
}
