package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open {@code text/event-stream} response. Several threads write to it (the request's own, the upstream's
 * reader delivering progress, the keep-alive timer): a lock keeps every event whole and in order. A failed write
 * marks the stream closed; later writes are dropped.
 */
final class SseStream {
  private final ServletOutputStream out;
  private final AsyncContext async;
  // a lock, not synchronized: writers are virtual threads that block on the socket
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  private SseStream(ServletOutputStream out, AsyncContext async) {
    this.out = out;
    this.async = async;
  }

  /**
   * Commits {@code response} as an event stream.
   *
   * @param async the request's async context when the stream outlives the servlet call, else {@code null}
   */
  static SseStream open(HttpServletResponse response, AsyncContext async) throws IOException {
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache, no-transform");
    response.setHeader("X-Accel-Buffering", "no");
    SseStream stream = new SseStream(response.getOutputStream(), async);
    response.flushBuffer();
    return stream;
  }

  /** Sends a JSON-RPC message as a {@code message} event. */
  boolean send(JsonNode message) {
    try {
      return write("event: message\ndata: " + JsonRpc.MAPPER.writeValueAsString(message) + "\n\n");
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends a JSON-RPC message (already serialised, one line) as a {@code message} event with an event id. */
  boolean message(String id, String json) {
    return write("id: " + id + "\nevent: message\ndata: " + json + "\n\n");
  }

  /** An event with an id and no data: lets a client resume before any message came (2025-11-25). */
  boolean prime(String id) {
    return write("id: " + id + "\ndata:\n\n");
  }

  /** Sends an event whose data is one line of text. */
  boolean event(String name, String data) {
    return write("event: " + name + "\ndata: " + data + "\n\n");
  }

  /** A comment line: keeps proxies from timing the stream out and reveals clients that went away. */
  boolean keepAlive() {
    return write(": keep-alive\n\n");
  }

  private boolean write(String text) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return true;
    } catch (IOException | RuntimeException e) {
      // the client went away: nothing to report to anyone, the stream is just over
      closed = true;
      completeAsync();
      return false;
    } finally {
      lock.unlock();
    }
  }

  boolean isOpen() {
    lock.lock();
    try {
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the stream (for a stream that outlives its servlet call, completes the response). */
  void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        completeAsync();
      }
    } finally {
      lock.unlock();
    }
  }

  private void completeAsync() {
    if (async != null) {
      try {
        async.complete();
      } catch (IllegalStateException e) {
        // already completed by the container (client gone, timeout)
      }
    }
  }
}
