package dev.mcpgw.observability.internal.export;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs the first failure at once, then at most one line per interval with the number of failures in between. */
final class RateLimitedLog {

  private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger log;
  private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  RateLimitedLog(Logger log) {
    this.log = log;
  }

  /** {@code message} must not contain secrets; {@code cause} is summarised by type and message only. */
  void warn(String message, Throwable cause) {
    long now = System.nanoTime();
    long allowed = nextAllowed.get();
    if ((allowed != Long.MIN_VALUE && now - allowed < 0) || !nextAllowed.compareAndSet(allowed, now + INTERVAL_NANOS)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    String reason = cause == null ? "" : ": " + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    log.warn("{}{}{}", message, reason, skipped > 0 ? " (" + skipped + " similar failures not logged)" : "");
  }
}
