package dev.mcpgw.gateway.upstream;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs at most {@value #PER_WINDOW} lines per ten seconds and counts the rest, so a chatty or broken upstream cannot
 * flood the gateway's log. The next line after a quiet spell reports how many were dropped.
 */
public final class RateLimitedLog {
  private static final int PER_WINDOW = 20;
  private static final long WINDOW_NANOS = 10_000_000_000L;

  private final Logger log;
  private final String prefix;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int inWindow;
  private long dropped;

  public RateLimitedLog(Logger log, String prefix) {
    this(log, prefix, System::nanoTime);
  }

  RateLimitedLog(Logger log, String prefix, LongSupplier nanoTime) {
    this.log = log;
    this.prefix = prefix;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  public void warn(String message) {
    String line = admit(message);
    if (line != null) {
      log.warn("{} {}", prefix, line);
    }
  }

  public void info(String message) {
    String line = admit(message);
    if (line != null) {
      log.info("{} {}", prefix, line);
    }
  }

  /** The line to log (with the count of dropped lines before it), or {@code null} when over the limit. */
  private synchronized String admit(String message) {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= WINDOW_NANOS) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= PER_WINDOW) {
      dropped++;
      return null;
    }
    inWindow++;
    if (dropped > 0) {
      String line = message + " (" + dropped + " earlier lines dropped)";
      dropped = 0;
      return line;
    }
    return message;
  }
}
