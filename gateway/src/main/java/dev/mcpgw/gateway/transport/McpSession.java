package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.mcp.Downstream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One downstream MCP session: bound to the endpoint (scope) and the user that opened it, so that neither another
 * endpoint nor another user can use its id. Its stream is the Streamable HTTP GET stream, or for the legacy SSE
 * transport the stream every answer goes to. A Streamable HTTP session's streams are resumable: its GET stream (key
 * {@code 0}) and the SSE answers of its POSTs (keys 1, 2, ...; the most recent {@link #KEPT_ANSWER_STREAMS} kept) each
 * replay what a client missed when it reconnects with {@code Last-Event-ID}.
 */
final class McpSession {
  /** Answer streams of POSTs kept for resumption, newest first; older ones cannot be resumed. */
  static final int KEPT_ANSWER_STREAMS = 8;
  static final String STANDALONE_KEY = "0";

  private final String id;
  private final Scope scope;
  private final String tenantId;
  private final String userId;
  private final boolean legacy;
  private final int replayEvents;
  private volatile String protocolVersion;
  /** The live connection of the session's own stream (GET, or legacy SSE). */
  private final AtomicReference<SseStream> stream = new AtomicReference<>();
  /** Held from the check for an open GET stream until the new one is attached, so two GETs cannot both open one. */
  private final ReentrantLock opening = new ReentrantLock();
  /** The GET stream as clients resume it; {@code null} for legacy sessions and until the first GET. */
  private final AtomicReference<ResumableStream> standalone = new AtomicReference<>();
  private final AtomicLong answerKeys = new AtomicLong();
  private final Map<String, ResumableStream> answers = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ResumableStream> eldest) {
      return size() > KEPT_ANSWER_STREAMS;
    }
  };

  /** Whether this session still counts against its user's and tenant's caps; cleared once when it ends. */
  private final AtomicBoolean counted = new AtomicBoolean(true);
  /** {@link System#nanoTime()} when it opened, for {@code mcp.server.session.duration}. */
  private final long openedNanos = System.nanoTime();

  McpSession(String id, Scope scope, String tenantId, String userId, boolean legacy, String protocolVersion,
      int replayEvents) {
    this.id = id;
    this.scope = scope;
    this.tenantId = tenantId;
    this.userId = userId;
    this.legacy = legacy;
    this.protocolVersion = protocolVersion;
    this.replayEvents = replayEvents;
  }

  String id() {
    return id;
  }

  Scope scope() {
    return scope;
  }

  boolean legacy() {
    return legacy;
  }

  String protocolVersion() {
    return protocolVersion;
  }

  void protocolVersion(String version) {
    this.protocolVersion = version;
  }

  long openedNanos() {
    return openedNanos;
  }

  String tenantId() {
    return tenantId;
  }

  String userId() {
    return userId;
  }

  /**
   * Whether a request on {@code scope} by {@code caller} may use this session: the same user of the same tenant (a
   * user id is unique only within its tenant), on the same endpoint and transport.
   */
  boolean belongsTo(Scope requestScope, Caller caller, boolean legacyTransport) {
    return scope.equals(requestScope) && tenantId.equals(caller.tenantId()) && userId.equals(caller.userId())
        && legacy == legacyTransport;
  }

  /** {@code true} the first time only: the session stops counting against its caps once. */
  boolean uncount() {
    return counted.compareAndSet(true, false);
  }

  /** Attaches the session's stream; {@code false} when an open one is attached already. */
  /** Opens a stream for this session's GET and attaches it, unless one is open already. */
  interface StreamOpener {
    SseStream open() throws java.io.IOException;
  }

  /**
   * Opens (which answers the GET's headers) and attaches a new stream in one step, unless an open stream is attached:
   * then opens nothing and answers false. Without this, a second GET arriving between the first one's headers and its
   * attach would be answered 200 and given a stream that is closed at once.
   */
  boolean openStream(StreamOpener opener) throws java.io.IOException {
    opening.lock();
    try {
      SseStream current = stream.get();
      if (current != null && current.isOpen()) {
        return false;
      }
      SseStream s = opener.open();
      if (!attach(s)) {
        s.close();
      }
      return true;
    } finally {
      opening.unlock();
    }
  }

  boolean attach(SseStream s) {
    SseStream current = stream.get();
    if (current != null && current.isOpen()) {
      return false;
    }
    if (!stream.compareAndSet(current, s)) {
      return false;
    }
    if (!legacy) {
      standalone.updateAndGet(r -> r != null ? r : new ResumableStream(STANDALONE_KEY, replayEvents)).open(s);
    }
    return true;
  }

  void detach(SseStream s) {
    stream.compareAndSet(s, null);
    ResumableStream r = standalone.get();
    if (r != null) {
      r.lost(s);
    }
    synchronized (answers) {
      answers.values().forEach(a -> a.lost(s));
    }
  }

  SseStream stream() {
    return stream.get();
  }

  /** A new resumable stream for the SSE answer of one POST. */
  ResumableStream answerStream() {
    ResumableStream r = new ResumableStream(Long.toString(answerKeys.incrementAndGet()), replayEvents);
    synchronized (answers) {
      answers.put(r.key(), r);
    }
    return r;
  }

  /** The stream a {@code Last-Event-ID} names by its key, or {@code null} when none such is kept. */
  ResumableStream resumable(String key) {
    if (STANDALONE_KEY.equals(key)) {
      return standalone.get();
    }
    synchronized (answers) {
      return answers.get(key);
    }
  }

  /** Continues {@code r} (one of this session's streams) on {@code fresh} after event {@code seq}. */
  void resume(ResumableStream r, long seq, SseStream fresh) {
    if (r == standalone.get()) {
      // the GET stream moves to the new connection; the old one is what the client gave up
      SseStream old = stream.getAndSet(fresh);
      if (old != null && old != fresh) {
        old.close();
      }
    }
    r.resume(fresh, seq);
  }

  /**
   * Sends a message on the session's stream: written to the live connection, and for a Streamable HTTP session kept
   * for a client that reconnects. {@code false} when the session never had a stream, or its legacy stream is closed.
   */
  boolean send(ObjectNode message) {
    ResumableStream r = standalone.get();
    if (r != null) {
      return r.send(message);
    }
    SseStream s = stream.get();
    return s != null && s.send(message);
  }

  /** The session's own stream as the dispatcher sees it: what belongs to no request goes there. */
  Downstream outlet() {
    return new Downstream() {
      @Override
      public void send(ObjectNode notification) {
        McpSession.this.send(notification);
      }

      @Override
      public boolean probe() {
        SseStream s = stream.get();
        return s != null && s.isOpen();
      }

      @Override
      public boolean deliver(ObjectNode request) {
        return McpSession.this.send(request);
      }
    };
  }

  /** Ends the session's streams. */
  void close() {
    ResumableStream r = standalone.getAndSet(null);
    if (r != null) {
      r.close();
    }
    synchronized (answers) {
      answers.values().forEach(ResumableStream::close);
      answers.clear();
    }
    SseStream s = stream.getAndSet(null);
    if (s != null) {
      s.close();
    }
  }
}
