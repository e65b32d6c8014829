package dev.mcpgw.observability.internal.export.sender;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An OTLP/HTTP {@link HttpSender} on one kept-alive blocking connection (ADR 0036).
 *
 * <ul>
 *   <li>The body is encoded (and compressed when configured) on the exporting thread; the exchange runs on the
 *       sender's own thread, so an exporter whose receiver does not answer is told so at its timeout, not later.</li>
 *   <li>Exchanges are serial. One that waited behind others past its timeout is not sent at all but reported as timed
 *       out: its exporter has given up on it (a resilient export buffers it for a replay), and a late copy would
 *       arrive twice and out of order.</li>
 *   <li>The SDK's retry policy applies: 429, 502, 503 and 504 answers and refused or timed-out connections are tried
 *       again after the policy's back-off (give or take a fifth, as the SDK's own senders wait), never past the
 *       export's timeout.</li>
 *   <li>Failures are reported as the JDK sender reports them ({@link HttpTimeoutException},
 *       {@link java.net.http.HttpConnectTimeoutException}, {@link ConnectException}), which the export metrics'
 *       {@code error_type} and the runbooks name.</li>
 *   <li>Callbacks run on the sender's thread, one at a time; this class never throws into its caller.</li>
 * </ul>
 */
final class BlockingHttpSender implements HttpSender {

  private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 502, 503, 504);
  /** About 70 years: later than any deadline, without overflowing {@code System.nanoTime()} arithmetic. */
  private static final long NO_LIMIT = Long.MAX_VALUE / 4;
  /** Exports that may wait for the sender's thread. */
  static final int QUEUED = 4;

  private final HttpSenderConfig config;
  private final OtlpConnection connection;
  private final ExecutorService executor;
  private final boolean ownExecutor;

  BlockingHttpSender(HttpSenderConfig config) {
    this.config = config;
    this.connection = new OtlpConnection(config);
    this.ownExecutor = config.getExecutorService() == null;
    this.executor = ownExecutor ? ownThread() : config.getExecutorService();
  }

  /**
   * One thread, and room for {@link #QUEUED} exports behind the one it sends: the batch processor waits for each
   * export, so more would only wait past their timeouts; one beyond is failed at once (and buffered by the resilient
   * export) instead of held in memory.
   */
  private static ExecutorService ownThread() {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED),
        r -> Thread.ofPlatform().name("mcpgw-otlp-sender").daemon().unstarted(r));
  }

  @Override
  public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    byte[] body;
    try {
      body = body(writer);
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    long timeout = config.getTimeout().toNanos();
    // a timeout of zero is the SDK's "no limit"
    long deadline = System.nanoTime() + (timeout > 0 ? timeout : NO_LIMIT);
    try {
      executor.execute(() -> exchange(body, deadline, onResponse, onError));
    } catch (RejectedExecutionException e) {
      onError.accept(e);
    }
  }

  private byte[] body(MessageWriter writer) throws IOException {
    Compressor compressor = config.getCompressor();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(32, writer.getContentLength()));
    if (compressor == null) {
      writer.writeMessage(buffer);
    } else {
      try (OutputStream compressed = compressor.compress(buffer)) {
        writer.writeMessage(compressed);
      }
    }
    return buffer.toByteArray();
  }

  private synchronized void exchange(byte[] body, long deadline, Consumer<HttpResponse> onResponse,
      Consumer<Throwable> onError) {
    if (System.nanoTime() - deadline > 0) {
      onError.accept(new HttpTimeoutException("request timed out before it was sent"));
      return;
    }
    RetryPolicy retry = config.getRetryPolicy();
    int attempts = retry == null ? 1 : Math.max(1, retry.getMaxAttempts());
    long backoff = retry == null ? 0 : Math.min(retry.getInitialBackoff().toNanos(), retry.getMaxBackoff().toNanos());
    for (int attempt = 1; ; attempt++) {
      HttpResponse response = null;
      IOException failure = null;
      try {
        response = connection.exchange(body, remainingMillis(deadline));
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException e) {
        connection.close();
        onError.accept(e);
        return;
      }
      boolean again = failure != null ? retryable(retry, failure) : RETRYABLE_STATUS.contains(response.getStatusCode());
      // the SDK's schedule, as its own senders keep it: the back-off, give or take a fifth
      long pause = (long) (backoff * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
      if (!again || attempt >= attempts || System.nanoTime() + pause - deadline > 0) {
        if (failure != null) {
          onError.accept(failure);
        } else {
          onResponse.accept(response);
        }
        return;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        onError.accept(failure != null ? failure : new IOException("interrupted before a retry"));
        return;
      }
      backoff = (long) Math.min(retry.getMaxBackoff().toNanos(), backoff * retry.getBackoffMultiplier());
    }
  }

  private static int remainingMillis(long deadline) {
    long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }

  private static boolean retryable(RetryPolicy retry, IOException e) {
    if (retry == null) {
      return false;
    }
    Predicate<IOException> custom = retry.getRetryExceptionPredicate();
    return custom != null ? custom.test(e)
        : e instanceof ConnectException || e instanceof HttpTimeoutException;
  }

  @Override
  public CompletableResultCode shutdown() {
    if (ownExecutor) {
      executor.shutdown();
    }
    // closing the socket ends an exchange blocked on it at once
    connection.close();
    return CompletableResultCode.ofSuccess();
  }
}
