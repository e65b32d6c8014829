package dev.mcpgw.gateway.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of an answer, framed by its {@code Content-Length}, by chunks, or by the end of the connection. A read
 * returns what one socket read brought (an SSE event is handed on as it arrives). Read to its end, the body gives its
 * connection back; closed before, the connection is closed.
 */
final class Http1Body extends InputStream {
  enum Framing { EMPTY, LENGTH, CHUNKED, UNTIL_CLOSE }

  private final Http1Connection connection;
  private final Http1Exchange exchange;
  private final Framing framing;
  private final boolean keepAlive;
  /** LENGTH: bytes left; CHUNKED: bytes left in the current chunk, -1 before the first size line. */
  private long remaining;
  private volatile boolean ended;
  /** Held by a read under way: a close from another thread then cuts the connection instead of reading on. */
  private final ReentrantLock reading = new ReentrantLock();

  Http1Body(Http1Connection connection, Http1Exchange exchange, Framing framing, long length, boolean keepAlive) {
    this.connection = connection;
    this.exchange = exchange;
    this.framing = framing;
    this.keepAlive = keepAlive;
    this.remaining = framing == Framing.CHUNKED ? -1 : length;
    if (framing == Framing.EMPTY || (framing == Framing.LENGTH && length == 0)) {
      end();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    reading.lock();
    try {
      return readLocked(b, off, len);
    } finally {
      reading.unlock();
    }
  }

  private int readLocked(byte[] b, int off, int len) throws IOException {
    if (ended) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    return switch (framing) {
      case EMPTY -> -1;
      case LENGTH -> readLength(b, off, len);
      case CHUNKED -> readChunked(b, off, len);
      case UNTIL_CLOSE -> {
        int n = connection.read(b, off, len);
        if (n < 0) {
          ended = true;
          exchange.finished(false);
        }
        yield n;
      }
    };
  }

  private int readLength(byte[] b, int off, int len) throws IOException {
    int n = connection.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw new EOFException("the connection closed before the end of the answer");
    }
    remaining -= n;
    if (remaining == 0) {
      end();
    }
    return n;
  }

  private int readChunked(byte[] b, int off, int len) throws IOException {
    if (remaining <= 0) {
      int[] budget = {Http1Connection.MAX_HEAD};
      if (remaining == 0 && !"".equals(connection.line(budget))) {
        throw new IOException("a chunk of the answer does not end with a line end");
      }
      String size = connection.line(budget);
      if (size == null) {
        throw new EOFException("the connection closed before the end of the answer");
      }
      int semicolon = size.indexOf(';');
      try {
        remaining = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("the answer has a malformed chunk size");
      }
      if (remaining < 0) {
        throw new IOException("the answer has a malformed chunk size");
      }
      if (remaining == 0) {
        String trailer;
        while ((trailer = connection.line(budget)) != null && !trailer.isEmpty()) {
          // trailers are not used
        }
        if (trailer == null) {
          throw new EOFException("the connection closed in the answer's trailers");
        }
        end();
        return -1;
      }
    }
    int n = connection.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw new EOFException("the connection closed before the end of the answer");
    }
    remaining -= n;
    return n;
  }

  private void end() {
    ended = true;
    exchange.finished(keepAlive);
  }

  /**
   * Closes the body. Before its end, what is left of it is read if it is already here (the end of a JSON answer that
   * Jackson did not ask for, a 202's empty body, the last chunk of an SSE answer), so that the connection can carry
   * the next exchange; else, or while another thread reads, the connection is closed, never reused.
   */
  @Override
  public void close() {
    if (!ended && reading.tryLock()) {
      try {
        byte[] skip = new byte[512];
        while (!ended && framing != Framing.UNTIL_CLOSE && connection.buffered() > 0) {
          if (readLocked(skip, 0, skip.length) < 0) {
            break;
          }
        }
      } catch (IOException e) {
        // cut below
      } finally {
        reading.unlock();
      }
    }
    if (!ended) {
      exchange.abandon();
    }
  }
}
