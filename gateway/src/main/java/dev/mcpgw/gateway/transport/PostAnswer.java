package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.Downstream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The answer to one Streamable HTTP POST. It stays a plain JSON response unless a message for the request arrives
 * before its result and the client accepts {@code text/event-stream}: then the response turns into a resumable SSE
 * stream of the session carrying the messages as they come and the result last. A client whose connection broke
 * picks the stream up again with a GET carrying {@code Last-Event-ID}.
 */
final class PostAnswer implements Downstream {
  private final HttpServletResponse response;
  private final boolean streamable;
  private final McpSession session;
  private final ReentrantLock lock = new ReentrantLock();
  private ResumableStream stream;
  private boolean finished;

  PostAnswer(HttpServletResponse response, boolean streamable, McpSession session) {
    this.response = response;
    this.streamable = streamable;
    this.session = session;
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
      return stream().send(message);
    } catch (IOException e) {
      // the client went away before the stream began: nothing to resume
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A keep-alive comment on the answer's live connection (which this opens): it fails once the client is gone and
   * has not resumed the stream elsewhere. A client that takes JSON only cannot be probed and counts as present.
   */
  @Override
  public boolean probe() {
    lock.lock();
    try {
      if (finished || !streamable) {
        return true;
      }
      return stream().probe();
    } catch (IOException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  private ResumableStream stream() throws IOException {
    if (stream == null) {
      SseStream connection = SseStream.open(response, null);
      stream = session.answerStream();
      stream.open(connection);
    }
    return stream;
  }

  /** Sends the request's response; later messages are dropped. */
  void finish(ObjectNode message) throws IOException {
    lock.lock();
    try {
      finished = true;
      if (stream != null) {
        stream.finish(message);
      } else {
        HttpAnswers.json(response, 200, message);
      }
    } finally {
      lock.unlock();
    }
  }
}
