package dev.mcpgw.gateway.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Answers 413 to bodies over the configured size: at once when {@code Content-Length} says so, and while reading
 * when a chunked body grows past it (the read fails with {@link BodyTooLargeException}, mapped to 413 here if the
 * handler let it through). Answers 408 and closes the connection when reading the body takes longer than the body
 * deadline ({@code MCPGW_BODY_TIMEOUT}; a read past it fails with {@link BodyTooSlowException}). After any
 * synchronous answer it reads what is left of the body, within the same limits, so that early answers keep the
 * connection usable.
 */
final class BodyLimitFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  /**
   * How much of a body over the limit is still read and dropped before the 413, within the body deadline. Closing
   * the connection with a body unread makes the client's TCP stack discard the answer (the server's reset), so the
   * client would see a closed connection instead of its 413. A body further over the limit is not read.
   */
  static final long DRAIN_BYTES = 64 * 1024;
  private final long maxBytes;
  private final Duration deadline;

  BodyLimitFilter(long maxBytes, Duration deadline) {
    this.maxBytes = maxBytes;
    this.deadline = deadline;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    long declared = req.getContentLengthLong();
    if (declared > maxBytes) {
      if (declared - maxBytes <= DRAIN_BYTES) {
        drain(req.getInputStream(), declared);
      }
      tooLarge(res);
      return;
    }
    Limited limited = new Limited(req, maxBytes, System.nanoTime() + deadline.toNanos());
    try {
      chain.doFilter(limited, res);
      if (!req.isAsyncStarted()) {
        limited.discardUnread();
      }
    } catch (BodyTooLargeException e) {
      if (!res.isCommitted()) {
        drain(req.getInputStream(), DRAIN_BYTES);
        res.reset();
        res.setHeader(RequestIdFilter.HEADER, (String) req.getAttribute(RequestIdFilter.ATTRIBUTE));
        tooLarge(res);
      }
    } catch (BodyTooSlowException e) {
      if (!res.isCommitted()) {
        res.reset();
        res.setHeader(RequestIdFilter.HEADER, (String) req.getAttribute(RequestIdFilter.ATTRIBUTE));
        res.setHeader("Connection", "close");
        JsonResponses.error(res, 408, "the request body took longer than " + deadline.toSeconds()
            + " s to arrive (MCPGW_BODY_TIMEOUT)", "body");
      }
    }
  }

  /** Reads and drops up to {@code most} bytes of what is left of the body, within the body deadline. */
  private void drain(ServletInputStream in, long most) {
    try {
      new CountingStream(in, most, System.nanoTime() + deadline.toNanos()).transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      // more than that, too slow or broken: the answer still goes out, and the server closes the connection
    }
  }

  private void tooLarge(HttpServletResponse res) throws IOException {
    JsonResponses.error(res, 413, "request body exceeds " + maxBytes + " bytes (MCPGW_MAX_BODY_BYTES)", "body");
  }

  /** Thrown by a read that goes past the limit. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long max) {
      super("request body exceeds " + max + " bytes");
    }
  }

  /** Thrown by a read that returns after the body deadline while the body is not complete. */
  static final class BodyTooSlowException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooSlowException() {
      super("request body deadline passed");
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long max;
    private final long deadlineNanos;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long max, long deadlineNanos) {
      super(request);
      this.max = max;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream(), max, deadlineNanos);
      }
      return stream;
    }

    /**
     * Reads what the handler left of the body, within the limit. An early answer (401, 404, 405, a 400 on the first
     * bad byte) is then sent on a connection that stays usable: if the body were still on its way when the exchange
     * ended, the server would close the connection under the client's write, and the client would see a broken pipe
     * instead of its answer.
     */
    void discardUnread() {
      try {
        // the common case: the handler read the whole declared body. Nothing is left, and reading the end of it here
        // cost a blocking read and transferTo's 16 KiB buffer per request (docs/performance.md, real MCP clients)
        long declared = getContentLengthLong();
        long read = stream instanceof CountingStream counting ? counting.count() : 0;
        if (declared >= 0 && read >= declared) {
          return;
        }
        ServletInputStream in = getInputStream();
        if (!in.isFinished()) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      } catch (IOException | RuntimeException e) {
        // too large or broken: the answer still goes out, and the server closes the connection as it would have
      }
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String enc = getCharacterEncoding();
      return new BufferedReader(new InputStreamReader(getInputStream(),
          enc == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(enc)));
    }
  }

  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long max;
    private final long deadlineNanos;
    private long count;

    CountingStream(ServletInputStream in, long max, long deadlineNanos) {
      this.in = in;
      this.max = max;
      this.deadlineNanos = deadlineNanos;
    }

    private int counted(int n) throws IOException {
      if (n > 0) {
        count += n;
        if (count > max) {
          throw new BodyTooLargeException(max);
        }
        if (System.nanoTime() - deadlineNanos > 0 && !in.isFinished()) {
          throw new BodyTooSlowException();
        }
      }
      return n;
    }

    /** The bytes read so far. */
    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return counted(in.read(b, off, len));
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
