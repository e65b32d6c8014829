package dev.mcpgw.gateway.plugin;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warns at most once per interval per key (a plugin name and what happened), counting what it left out, so that a
 * plugin failing on every request cannot flood the log. Keys come from the configuration, so the map stays small.
 */
final class ThrottledLog {
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Logger log;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  ThrottledLog(Logger log, LongSupplier nanoTime) {
    this.log = log;
    this.nanoTime = nanoTime;
  }

  /** Logs {@code message} (SLF4J format, no secrets in the arguments) unless {@code key} was logged lately. */
  void warn(String key, String message, Object... args) {
    Window w = windows.computeIfAbsent(key, k -> new Window());
    long now = nanoTime.getAsLong();
    long next = w.next.get();
    if ((next != Long.MIN_VALUE && now - next < 0) || !w.next.compareAndSet(next, now + INTERVAL_NANOS)) {
      w.suppressed.incrementAndGet();
      return;
    }
    long skipped = w.suppressed.getAndSet(0);
    if (skipped > 0) {
      log.warn(message + " ({} more since the last such line)", append(args, skipped));
    } else {
      log.warn(message, args);
    }
  }

  private static Object[] append(Object[] args, Object last) {
    Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = last;
    return out;
  }

  private static final class Window {
    final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong suppressed = new AtomicLong();
  }
}
