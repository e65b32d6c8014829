package dev.mcpgw.gateway.transport;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live downstream sessions, expired after {@code sessionIdleTimeout} without requests. A session with an open
 * stream stays alive while the stream does; one timer sends keep-alive comments on every stream so that clients that
 * went away are noticed and cleaned up.
 *
 * <p>Bounded per user (of a tenant), per tenant and in total: a new session beyond a cap is refused with a
 * {@link SessionLimitException} (after expired sessions are reclaimed); no live session is ever evicted to make room,
 * so one caller's flood cannot end anyone else's sessions.
 */
final class McpSessions implements AutoCloseable {
  private final Cache<String, McpSession> sessions;
  private final ScheduledExecutorService timer;
  private final int replayEvents;
  private final int maxSessions;
  private final int maxPerUser;
  private final int maxPerTenant;
  /** Live sessions per user key ({@link #userKey}) and per tenant; entries at zero are removed. */
  private final ConcurrentMap<String, Integer> perUser = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Integer> perTenant = new ConcurrentHashMap<>();
  /** Serialises the check-and-count of new sessions; releases only lower the counts and need no lock. */
  private final Object admission = new Object();
  private final SessionObserver observer;
  private volatile boolean closing;

  /** @param streamingRound runs every {@code listChangedInterval} with the sessions whose stream is open */
  McpSessions(McpSettings settings, Consumer<List<McpSession>> streamingRound) {
    this(settings, streamingRound, id -> {});
  }

  /** @param onEnd told the id of every session that ends (deleted, expired, evicted, stream gone); must not throw */
  McpSessions(McpSettings settings, Consumer<List<McpSession>> streamingRound, Consumer<String> onEnd) {
    this(settings, streamingRound, onEnd, SessionObserver.NONE);
  }

  /** @param observer told of every session that opens and ends (the session metrics) */
  McpSessions(McpSettings settings, Consumer<List<McpSession>> streamingRound, Consumer<String> onEnd,
      SessionObserver observer) {
    this.observer = observer;
    this.replayEvents = settings.replayEvents();
    this.maxSessions = settings.maxSessions();
    this.maxPerUser = settings.maxSessionsPerUser();
    this.maxPerTenant = settings.maxSessionsPerTenant();
    this.sessions = Caffeine.newBuilder()
        .expireAfterAccess(settings.sessionIdleTimeout())
        // synchronous, within the expiry itself: an expired session stops counting before anyone is refused for it
        .evictionListener((String id, McpSession s, RemovalCause cause) -> release(s))
        .removalListener((String id, McpSession s, RemovalCause cause) -> {
          if (s != null) {
            s.close();
            observer.ended(s.legacy() ? SessionObserver.SSE : SessionObserver.STREAMABLE_HTTP, s.protocolVersion(),
                closing ? SessionObserver.SHUTDOWN
                    : cause == RemovalCause.EXPIRED ? SessionObserver.EXPIRED : SessionObserver.DELETED,
                System.nanoTime() - s.openedNanos());
          }
          if (id != null) {
            onEnd.accept(id);
          }
        })
        .build();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mcpgw-sse-keepalive");
      t.setDaemon(true);
      return t;
    });
    long every = settings.keepAliveInterval().toMillis();
    timer.scheduleWithFixedDelay(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
    long round = settings.listChangedInterval().toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        streamingRound.accept(sessions.asMap().values().stream()
            .filter(s -> s.stream() != null && s.stream().isOpen()).toList());
      } catch (RuntimeException e) {
        // a failing catalog must not stop the timer: the next round tries again
      }
    }, round, round, TimeUnit.MILLISECONDS);
  }

  /**
   * A new session of {@code caller}.
   *
   * @throws SessionLimitException when the caller's user or tenant, or the gateway, holds the most sessions allowed
   *     (expired ones reclaimed first)
   */
  McpSession create(Scope scope, Caller caller, boolean legacy, String protocolVersion) {
    String tenant = caller.tenantId();
    String user = userKey(tenant, caller.userId());
    synchronized (admission) {
      if (refusal(tenant, caller.userId()) != null) {
        sessions.cleanUp(); // expired sessions are released by the eviction listener, on this thread
        SessionLimitException refused = refusal(tenant, caller.userId());
        if (refused != null) {
          throw refused;
        }
      }
      // random UUIDs come from a SecureRandom: session ids cannot be guessed
      McpSession s = new McpSession(UUID.randomUUID().toString(), scope, tenant, caller.userId(), legacy,
          protocolVersion, replayEvents);
      perUser.merge(user, 1, Integer::sum);
      perTenant.merge(tenant, 1, Integer::sum);
      sessions.put(s.id(), s);
      observer.opened(legacy ? SessionObserver.SSE : SessionObserver.STREAMABLE_HTTP);
      return s;
    }
  }

  /** Why a new session of {@code userId} of {@code tenant} cannot be had now, or {@code null}. */
  private SessionLimitException refusal(String tenant, String userId) {
    if (perUser.getOrDefault(userKey(tenant, userId), 0) >= maxPerUser) {
      return SessionLimitException.perUser(tenant, userId, maxPerUser);
    }
    if (perTenant.getOrDefault(tenant, 0) >= maxPerTenant) {
      return SessionLimitException.perTenant(tenant, maxPerTenant);
    }
    if (sessions.asMap().size() >= maxSessions) {
      return SessionLimitException.total(maxSessions);
    }
    return null;
  }

  /** Stops {@code s} counting against its caps (once, whichever way it ended). */
  private void release(McpSession s) {
    if (s == null || !s.uncount()) {
      return;
    }
    perUser.computeIfPresent(userKey(s.tenantId(), s.userId()), (k, n) -> n > 1 ? n - 1 : null);
    perTenant.computeIfPresent(s.tenantId(), (k, n) -> n > 1 ? n - 1 : null);
  }

  /** A user id is unique within its tenant only: the two together name a user. */
  private static String userKey(String tenant, String user) {
    return tenant + "\n" + user;
  }

  /** The session, counting as activity; {@code null} when unknown, expired or ended. */
  McpSession find(String id) {
    return id == null ? null : sessions.getIfPresent(id);
  }

  void end(String id) {
    if (id != null) {
      release(sessions.asMap().remove(id));
    }
  }

  long size() {
    sessions.cleanUp();
    return sessions.estimatedSize();
  }

  private void keepAlive() {
    try {
      List<McpSession> streaming = new ArrayList<>();
      sessions.asMap().values().forEach(s -> {
        SseStream stream = s.stream();
        if (stream != null && stream.keepAlive()) {
          streaming.add(s);
        } else if (stream != null && s.legacy()) {
          // a legacy session is its stream: once the client is gone, so is the session
          end(s.id());
        }
      });
      // an open stream is activity: touch those sessions so they do not expire under a connected client
      streaming.forEach(s -> sessions.getIfPresent(s.id()));
      sessions.cleanUp();
    } catch (RuntimeException e) {
      // the timer must survive anything; the next round tries again
    }
  }

  @Override
  public void close() {
    closing = true;
    timer.shutdownNow();
    sessions.invalidateAll();
  }
}
