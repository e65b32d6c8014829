package dev.mcpgw.gateway.transport;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.mcpgw.gateway.catalog.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live downstream sessions: bounded in number (least recently used dropped first) and expired after
 * {@code sessionIdleTimeout} without requests. A session with an open stream stays alive while the stream does; one
 * timer sends keep-alive comments on every stream so that clients that went away are noticed and cleaned up.
 */
final class McpSessions implements AutoCloseable {
  private final Cache<String, McpSession> sessions;
  private final ScheduledExecutorService timer;
  private final int replayEvents;

  /** @param streamingRound runs every {@code listChangedInterval} with the sessions whose stream is open */
  McpSessions(McpSettings settings, Consumer<List<McpSession>> streamingRound) {
    this(settings, streamingRound, id -> {});
  }

  /** @param onEnd told the id of every session that ends (deleted, expired, evicted, stream gone); must not throw */
  McpSessions(McpSettings settings, Consumer<List<McpSession>> streamingRound, Consumer<String> onEnd) {
    this.replayEvents = settings.replayEvents();
    this.sessions = Caffeine.newBuilder()
        .maximumSize(settings.maxSessions())
        .expireAfterAccess(settings.sessionIdleTimeout())
        .removalListener((String id, McpSession s, RemovalCause cause) -> {
          if (s != null) {
            s.close();
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

  McpSession create(Scope scope, String userId, boolean legacy, String protocolVersion) {
    // random UUIDs come from a SecureRandom: session ids cannot be guessed
    McpSession s = new McpSession(UUID.randomUUID().toString(), scope, userId, legacy, protocolVersion,
        replayEvents);
    sessions.put(s.id(), s);
    return s;
  }

  /** The session, counting as activity; {@code null} when unknown, expired or ended. */
  McpSession find(String id) {
    return id == null ? null : sessions.getIfPresent(id);
  }

  void end(String id) {
    sessions.invalidate(id);
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
          sessions.invalidate(s.id());
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
    timer.shutdownNow();
    sessions.invalidateAll();
  }
}
