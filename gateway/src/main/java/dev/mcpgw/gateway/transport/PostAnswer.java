package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.transport.rpc.Downstream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The answer to one Streamable HTTP POST. It stays a plain JSON response unless a notification for the request
 * arrives before its result and the client accepts {@code text/event-stream}: then the response turns into an SSE
 * stream carrying the notifications as they come and the result last.
 */
final class PostAnswer implements Downstream {
  private final HttpServletResponse response;
  private final boolean streamable;
  private final ReentrantLock lock = new ReentrantLock();
  private SseStream stream;
  private boolean finished;

  PostAnswer(HttpServletResponse response, boolean streamable) {
    this.response = response;
    this.streamable = streamable;
  }

  @Override
  public void send(ObjectNode notification) {
    deliver(notification);
  }

  /** Sends a message on the answer's stream (which this opens); {@code false} once finished or for JSON-only. */
  @Override
  public boolean deliver(ObjectNode message) {
    lock.lock();
    try {
      if (finished || !streamable) {
        return false;
      }
      if (stream == null) {
        stream = SseStream.open(response, null);
      }
      return stream.send(message);
    } catch (IOException e) {
      // the client went away; the result will find the stream closed as well
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A keep-alive comment on the answer's stream (which this opens): the write fails once the client is gone. A
   * client that takes JSON only cannot be probed and counts as present.
   */
  @Override
  public boolean probe() {
    lock.lock();
    try {
      if (finished || !streamable) {
        return true;
      }
      if (stream == null) {
        stream = SseStream.open(response, null);
      }
      return stream.keepAlive();
    } catch (IOException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Sends the request's response; later notifications are dropped. */
  void finish(ObjectNode message) throws IOException {
    lock.lock();
    try {
      finished = true;
      if (stream != null) {
        stream.send(message);
        stream.close();
      } else {
        HttpAnswers.json(response, 200, message);
      }
    } finally {
      lock.unlock();
    }
  }
}
