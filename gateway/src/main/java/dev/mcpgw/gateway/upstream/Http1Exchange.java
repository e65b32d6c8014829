package dev.mcpgw.gateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The life of one exchange's connection: in use until its answer was read to the end (then it goes back to the pool
 * when the answer allows), or until the exchange is abandoned (a cancelled call, a timeout, a closed session, a body
 * closed before its end), which closes it at once from any thread, unblocking a read under way.
 */
final class Http1Exchange {
  private static final int ACTIVE = 0;
  private static final int DONE = 1;
  private static final int ABANDONED = 2;

  private final Http1Pool pool;
  private final AtomicInteger state = new AtomicInteger(ACTIVE);
  private volatile Http1Connection connection;

  Http1Exchange(Http1Pool pool) {
    this.pool = pool;
  }

  /** The connection the exchange now uses; closed at once when the exchange was abandoned already. */
  void use(Http1Connection c) {
    connection = c;
    if (state.get() == ABANDONED) {
      c.close();
    }
  }

  /** Gives up the exchange: its connection is closed, never reused. */
  void abandon() {
    if (state.compareAndSet(ACTIVE, ABANDONED)) {
      Http1Connection c = connection;
      if (c != null) {
        c.close();
      }
    }
  }

  boolean abandoned() {
    return state.get() == ABANDONED;
  }

  /** The answer was read to its end: the connection carries the next exchange if {@code reusable}, else closes. */
  void finished(boolean reusable) {
    if (state.compareAndSet(ACTIVE, DONE)) {
      Http1Connection c = connection;
      if (reusable) {
        pool.release(c);
      } else {
        c.close();
      }
    }
  }
}
