package dev.mcpgw.observability.logging;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The one throttled logger of the gateway and its observability core, for lines that a failing collaborator or a
 * chatty upstream could otherwise write at the request rate. The rule: <b>at most one line per key per interval</b>;
 * the lines left out are counted, and the key's next line ends with {@code (N similar lines not logged)}.
 *
 * <p>The key is the message pattern (an SLF4J format string that must be a constant at the call site, so arguments
 * never make new keys), or an explicit key from configuration ({@link #warnFor}). The number of keys is capped at
 * {@value #MAX_KEYS}: beyond it, new keys share one window, so a caller cannot grow the map without bound. A trailing
 * {@link Throwable} argument is logged with its stack as SLF4J does; callers whose exceptions may carry secrets pass
 * a summary instead. Thread-safe and lock-free.
 */
public final class ThrottledLogger {
  /** The interval of {@link #of(Logger)}. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  static final int MAX_KEYS = 256;
  private static final String OVERFLOW_KEY = "\u0000overflow";

  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  private ThrottledLogger(Logger log, Duration interval, LongSupplier nanoTime) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** One line per key per {@link #DEFAULT_INTERVAL}. */
  public static ThrottledLogger of(Logger log) {
    return new ThrottledLogger(log, DEFAULT_INTERVAL, System::nanoTime);
  }

  public static ThrottledLogger of(Logger log, Duration interval) {
    return new ThrottledLogger(log, interval, System::nanoTime);
  }

  /** With the clock of the caller ({@code System::nanoTime} in production, a fake one in tests). */
  public static ThrottledLogger of(Logger log, Duration interval, LongSupplier nanoTime) {
    return new ThrottledLogger(log, interval, nanoTime);
  }

  /** Logs at WARN unless a line of the same {@code pattern} was logged within the interval. */
  public void warn(String pattern, Object... args) {
    log(true, pattern, pattern, args);
  }

  /** Logs at INFO unless a line of the same {@code pattern} was logged within the interval. */
  public void info(String pattern, Object... args) {
    log(false, pattern, pattern, args);
  }

  /** Logs at WARN unless a line of {@code key} (e.g. a plugin's name and what happened) was logged lately. */
  public void warnFor(String key, String pattern, Object... args) {
    log(true, key, pattern, args);
  }

  private void log(boolean warn, String key, String pattern, Object[] args) {
    long skipped = admit(key);
    if (skipped < 0) {
      return;
    }
    if (skipped == 0) {
      emit(warn, pattern, args);
      return;
    }
    boolean withThrowable = args.length > 0 && args[args.length - 1] instanceof Throwable;
    int at = withThrowable ? args.length - 1 : args.length;
    Object[] out = Arrays.copyOf(args, args.length + 1);
    System.arraycopy(args, at, out, at + 1, args.length - at);
    out[at] = skipped;
    emit(warn, pattern + " ({} similar lines not logged)", out);
  }

  private void emit(boolean warn, String pattern, Object[] args) {
    if (warn) {
      log.warn(pattern, args);
    } else {
      log.info(pattern, args);
    }
  }

  /** How many lines of {@code key} were left out since its last line, or -1 when this one is left out too. */
  private long admit(String key) {
    Window w = windows.get(key);
    if (w == null) {
      w = windows.size() >= MAX_KEYS ? windows.computeIfAbsent(OVERFLOW_KEY, k -> new Window())
          : windows.computeIfAbsent(key, k -> new Window());
    }
    long now = nanoTime.getAsLong();
    long next = w.next.get();
    if ((next != Long.MIN_VALUE && now - next < 0) || !w.next.compareAndSet(next, now + intervalNanos)) {
      w.suppressed.incrementAndGet();
      return -1;
    }
    return w.suppressed.getAndSet(0);
  }

  private static final class Window {
    final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong suppressed = new AtomicLong();
  }
}
