package dev.mcpgw.gateway.mcp;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Warnings from the request path at most once per interval, with a count of what was suppressed: a failing
 * collaborator must not flood the log at the request rate.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong last = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, java.time.Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs at WARN with the throwable's stack when its turn has come; counts it otherwise. */
  public void warn(String message, Throwable t) {
    long now = System.nanoTime();
    long before = last.get();
    if (now - before >= intervalNanos && last.compareAndSet(before, now)) {
      long skipped = suppressed.getAndSet(0);
      log.warn(skipped == 0 ? message : message + " (" + skipped + " similar warnings suppressed)", t);
    } else {
      suppressed.incrementAndGet();
    }
  }
}
