package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical SSE stream of a Streamable HTTP session (its GET stream, or the answer stream of one POST), which may
 * outlive the connection it started on. Every event carries an id {@code <stream key>-<number>}, unique in the session,
 * and is kept in a bounded {@link EventLog}; a client that lost the connection reconnects with a GET carrying
 * {@code Last-Event-ID} and gets the events after it on the new connection, which then carries the rest of the
 * stream. Writers are several threads (the request's, the upstream readers', timers): a lock keeps events whole and
 * in order.
 */
final class ResumableStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableStream.class);

  private final String key;
  private final EventLog log;
  private final ReentrantLock lock = new ReentrantLock();
  private SseStream connection;
  private boolean finished;

  ResumableStream(String key, int replayEvents) {
    this.key = key;
    this.log = new EventLog(replayEvents);
  }

  String key() {
    return key;
  }

  /**
   * Takes {@code fresh} as the stream's connection and primes it with an event id (no data), so that a client whose
   * connection breaks before any message can still resume.
   */
  void open(SseStream fresh) {
    lock.lock();
    try {
      replace(fresh);
      fresh.prime(key + "-" + log.last());
    } finally {
      lock.unlock();
    }
  }

  /** Records {@code message} for replay and writes it to the live connection, if any. */
  boolean send(JsonNode message) {
    String data;
    try {
      data = JsonRpc.MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      return false;
    }
    lock.lock();
    try {
      if (finished) {
        return false;
      }
      long seq = log.append(data);
      if (connection != null) {
        connection.message(key + "-" + seq, data);
      }
      // written, or kept for a client that reconnects
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Continues the stream on {@code fresh} after the client's {@code Last-Event-ID}: the events after {@code seq} first,
   * then whatever comes. A stream that has ended closes {@code fresh} after the replay.
   */
  void resume(SseStream fresh, long seq) {
    lock.lock();
    try {
      if (!log.covers(seq)) {
        LOG.debug("stream {}: events after {} were partly dropped; replaying what is kept", key, seq);
      }
      replace(fresh);
      for (EventLog.Event e : log.after(seq)) {
        fresh.message(key + "-" + e.seq(), e.data());
      }
      if (finished) {
        fresh.close();
        connection = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Sends the stream's last message (a request's response) and ends the stream. */
  void finish(JsonNode last) {
    send(last);
    close();
  }

  /** A keep-alive on the live connection; {@code false} when there is none or it broke. */
  boolean probe() {
    lock.lock();
    try {
      return connection != null && connection.keepAlive();
    } finally {
      lock.unlock();
    }
  }

  /** The live connection, or {@code null}. */
  SseStream connection() {
    lock.lock();
    try {
      return connection;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets {@code broken} when it is still the live connection (the client went away). */
  void lost(SseStream broken) {
    lock.lock();
    try {
      if (connection == broken) {
        connection = null;
      }
    } finally {
      lock.unlock();
    }
  }

  boolean finished() {
    lock.lock();
    try {
      return finished;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the stream (after its last message, or without one when the session ended). */
  void close() {
    lock.lock();
    try {
      finished = true;
      if (connection != null) {
        connection.close();
        connection = null;
      }
    } finally {
      lock.unlock();
    }
  }

  int buffered() {
    return log.size();
  }

  private void replace(SseStream fresh) {
    if (connection != null && connection != fresh) {
      // a client resumes on a new connection only when it gave up the old one
      connection.close();
    }
    connection = fresh;
  }
}
