package dev.mcpgw.gateway.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open connection, by client IP address: how many each address has (beyond {@code MCPGW_MAX_CONNECTIONS_PER_CLIENT}
 * a connection is marked, and its requests are refused by {@link ConnectionGuard}), and how long the client has been
 * sending the headers of its next request. Jetty's idle timeout does not end a client that sends one header line every
 * few seconds; a sweep once a second closes a connection whose request has been arriving, without reaching the end of
 * its headers, for longer than {@code MCPGW_HEADER_TIMEOUT}. Arriving is seen as the connection's byte count growing
 * while no request of it is being handled.
 */
final class ClientConnections extends AbstractLifeCycle implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnections.class);
  static final Duration SWEEP = Duration.ofSeconds(1);

  private final int maxPerClient;
  private final long headerTimeoutNanos;
  private final Map<Connection, Tracked> open = new ConcurrentHashMap<>();
  private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private ScheduledExecutorService sweeper;

  /** Sweeps from when the server starts (it is a bean of the server) until it stops. */
  ClientConnections(int maxPerClient, Duration headerTimeout) {
    this.maxPerClient = maxPerClient;
    this.headerTimeoutNanos = headerTimeout.toNanos();
  }

  @Override
  protected void doStart() {
    sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mcpgw-header-deadline");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
  }

  /** One connection's state; written by the request thread and the sweeper. */
  private static final class Tracked {
    final InetAddress client;
    final boolean overLimit;
    volatile boolean inRequest;
    /** The byte count when the connection was last seen between requests; -1 until the sweeper has seen it so. */
    volatile long idleBytes;
    /** When the sweeper first saw bytes of the next request arrive; 0 when none have. */
    volatile long arrivingSince;

    Tracked(InetAddress client, boolean overLimit) {
      this.client = client;
      this.overLimit = overLimit;
    }
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress client = clientOf(connection);
    int count = client == null ? 0 : perClient.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
    Tracked t = new Tracked(client, count > maxPerClient);
    t.idleBytes = 0;
    open.put(connection, t);
  }

  @Override
  public void onClosed(Connection connection) {
    Tracked t = open.remove(connection);
    if (t != null && t.client != null) {
      perClient.computeIfPresent(t.client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
  }

  /** Whether {@code connection} was opened beyond its client's limit (its requests are refused). */
  boolean overLimit(Connection connection) {
    Tracked t = open.get(connection);
    return t != null && t.overLimit;
  }

  int maxPerClient() {
    return maxPerClient;
  }

  /** A request of {@code connection} has arrived whole (its headers at least): the header deadline stops. */
  void requestStarted(Connection connection) {
    Tracked t = open.get(connection);
    if (t != null) {
      t.inRequest = true;
      t.arrivingSince = 0;
    }
  }

  /** The request was answered; what the connection receives from the next sweep on belongs to its next request. */
  void requestEnded(Connection connection) {
    Tracked t = open.get(connection);
    if (t != null) {
      t.idleBytes = -1;
      t.arrivingSince = 0;
      t.inRequest = false;
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    try {
      open.forEach((connection, t) -> {
        if (t.inRequest) {
          return;
        }
        long bytes = connection.getBytesIn();
        if (t.idleBytes < 0) {
          t.idleBytes = bytes;
        } else if (bytes > t.idleBytes) {
          if (t.arrivingSince == 0) {
            t.arrivingSince = now;
          } else if (now - t.arrivingSince > headerTimeoutNanos) {
            LOG.debug("closing a connection of {}: its request headers took longer than MCPGW_HEADER_TIMEOUT", t.client);
            connection.getEndPoint().close();
          }
        }
      });
    } catch (RuntimeException e) {
      // one bad round must not end the sweeper
      LOG.warn("header deadline sweep failed: {}", e.toString());
    }
  }

  private static InetAddress clientOf(Connection connection) {
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
