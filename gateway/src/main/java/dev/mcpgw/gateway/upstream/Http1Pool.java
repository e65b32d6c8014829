package dev.mcpgw.gateway.upstream;

import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;

/**
 * Idle kept-alive connections per origin ({@code scheme://host:port}), most recently used first, at most
 * {@link #MAX_IDLE_PER_ORIGIN} each. A connection idle longer than {@link #MAX_IDLE} is closed rather than reused:
 * servers close idle connections after a few seconds (Node and uvicorn after 5), and a request written on a
 * connection the server is closing may be lost.
 */
final class Http1Pool {
  static final int MAX_IDLE_PER_ORIGIN = 16;
  static final Duration MAX_IDLE = Duration.ofSeconds(4);

  private final ConcurrentMap<String, Deque<Http1Connection>> idle = new ConcurrentHashMap<>();
  private final long maxIdleNanos;
  private volatile boolean closed;

  Http1Pool() {
    this(MAX_IDLE);
  }

  Http1Pool(Duration maxIdle) {
    this.maxIdleNanos = maxIdle.toNanos();
  }

  /** An idle connection to {@code origin} that is still usable, or {@code null}. */
  Http1Connection take(String origin) {
    Deque<Http1Connection> q = idle.get(origin);
    if (q == null) {
      return null;
    }
    long now = System.nanoTime();
    Http1Connection c;
    while ((c = q.pollFirst()) != null) {
      if (now - c.idleSince() < maxIdleNanos && c.reusable()) {
        return c;
      }
      c.close();
    }
    return null;
  }

  /** Keeps {@code c}, whose last answer was read to its end, for the next request to its origin. */
  void release(Http1Connection c) {
    if (closed || c.isClosed()) {
      c.close();
      return;
    }
    c.idle(System.nanoTime());
    Deque<Http1Connection> q = idle.computeIfAbsent(c.origin(), o -> new ConcurrentLinkedDeque<>());
    q.addFirst(c);
    if (q.size() > MAX_IDLE_PER_ORIGIN) {
      Http1Connection oldest = q.pollLast();
      if (oldest != null) {
        oldest.close();
      }
    }
    if (closed) {
      close();
    }
  }

  /** Closes connections idle for longer than the limit; run periodically. */
  void sweep() {
    long now = System.nanoTime();
    for (Deque<Http1Connection> q : idle.values()) {
      for (Http1Connection c : q) {
        // only what this sweep removed is closed: a connection taken meanwhile belongs to its exchange
        if (now - c.idleSince() >= maxIdleNanos && q.removeFirstOccurrence(c)) {
          c.close();
        }
      }
    }
  }

  /** Idle connections to {@code origin} now. */
  int idleCount(String origin) {
    Deque<Http1Connection> q = idle.get(origin);
    return q == null ? 0 : q.size();
  }

  void close() {
    closed = true;
    idle.values().forEach(q -> {
      Http1Connection c;
      while ((c = q.pollFirst()) != null) {
        c.close();
      }
    });
  }
}
