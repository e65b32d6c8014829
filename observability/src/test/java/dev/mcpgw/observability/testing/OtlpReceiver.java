package dev.mcpgw.observability.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An OTLP receiver on 127.0.0.1 for tests: HTTP/protobuf ({@code POST /v1/traces}, {@code /v1/metrics},
 * {@code /v1/logs}) and gRPC ({@code TraceService/Export} etc. over HTTP/2, cleartext or TLS, 5-byte gRPC framing,
 * {@code grpc-status} trailer) on one port. Bodies are decoded with the official {@code opentelemetry-proto} classes
 * and recorded with the request headers. It can fail on demand (HTTP 503 / gRPC UNAVAILABLE) or be stopped and
 * started again on the same port, to simulate outages.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** One export request as received. */
  public record Received(String signal, boolean grpc, Map<String, String> headers, Message body) {

    /** The header's value (names are case-insensitive), or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public ExportTraceServiceRequest traces() {
      return (ExportTraceServiceRequest) body;
    }
  }

  /** How long {@link #stop()} lets the exports under way finish. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final TestCertificates tls;
  private final boolean requireClientCert;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile boolean failing;
  private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
  private volatile Duration delay = Duration.ZERO;
  private volatile int port;
  private Server server;

  private OtlpReceiver(TestCertificates tls, boolean requireClientCert) {
    this.tls = tls;
    this.requireClientCert = requireClientCert;
  }

  /** A cleartext receiver (HTTP/1.1 and h2c) on a free port, started. */
  public static OtlpReceiver plain() {
    return new OtlpReceiver(null, false).start();
  }

  /** A TLS receiver (HTTP/1.1 and h2 by ALPN) with the server certificate of {@code tls}, optionally mutual TLS. */
  public static OtlpReceiver tls(TestCertificates tls, boolean requireClientCert) {
    return new OtlpReceiver(tls, requireClientCert).start();
  }

  /** Starts (again) on the port it had, or on a free one the first time. */
  public synchronized OtlpReceiver start() {
    if (server != null) {
      return this;
    }
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("otlp-receiver");
    threads.setDaemon(true);
    Server s = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    ServerConnector connector;
    if (tls == null) {
      connector = new ServerConnector(s, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    } else {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(tls.serverKeyStore());
      ssl.setKeyStorePassword(TestCertificates.password());
      if (requireClientCert) {
        ssl.setTrustStore(tls.trustStore());
        ssl.setNeedClientAuth(true);
      }
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
      alpn.setDefaultProtocol("http/1.1");
      connector = new ServerConnector(s, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
          new HTTP2ServerConnectionFactory(http), new HttpConnectionFactory(http));
    }
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    s.addConnector(connector);
    // a stop lets the exports under way finish (answered and counted) and refuses new ones with 503, as a collector
    // that shuts down does: an answer cut off half-written would leave its exporter and this receiver disagreeing
    s.setHandler(new GracefulHandler(new Receive()));
    s.setStopTimeout(STOP_GRACE.toMillis());
    try {
      s.start();
    } catch (Exception e) {
      throw new IllegalStateException("OTLP receiver could not start on port " + port, e);
    }
    port = connector.getLocalPort();
    server = s;
    return this;
  }

  /**
   * Stops listening (connections are refused) until {@link #start()}; what was received is kept. Exports under way
   * are answered first (for up to {@link #STOP_GRACE}); one that arrives meanwhile on an open connection gets a 503.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("OTLP receiver did not stop", e);
    } finally {
      server = null;
    }
  }

  /** Exports answered with HTTP 503 or gRPC UNAVAILABLE while failing (each attempt, retries included). */
  public int refused() {
    return refused.get();
  }

  /** While true, every export is answered with HTTP 503 or gRPC UNAVAILABLE and not recorded. */
  public void failing(boolean fail) {
    this.failing = fail;
  }

  /**
   * While positive, every export is held this long before it is answered (and recorded): a slow backend. Zero
   * answers at once again.
   */
  public void delaying(Duration delay) {
    this.delay = delay;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>} or {@code https://...}. */
  public String endpoint() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Trace export requests, in arrival order. */
  public List<Received> traceRequests() {
    return received.stream().filter(r -> r.signal().equals("traces")).toList();
  }

  /** Every span received, in arrival order. */
  public List<Span> spans() {
    List<Span> spans = new ArrayList<>();
    for (Received r : traceRequests()) {
      for (ResourceSpans rs : r.traces().getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          spans.addAll(ss.getSpansList());
        }
      }
    }
    return spans;
  }

  public void clear() {
    received.clear();
  }

  @Override
  public void close() {
    stop();
  }

  private final class Receive extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = request.getHttpURI().getPath();
      String contentType = String.valueOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
      boolean grpc = contentType.startsWith("application/grpc");
      String signal = signal(path, grpc);
      if (signal == null || !"POST".equals(request.getMethod())) {
        Response.writeError(request, response, callback, 404);
        return true;
      }
      byte[] body = Content.Source.asInputStream(request).readAllBytes();
      Duration hold = delay;
      if (!hold.isZero()) {
        Thread.sleep(hold.toMillis());
      }
      Map<String, String> headers = new TreeMap<>();
      for (HttpField field : request.getHeaders()) {
        headers.put(field.getLowerCaseName(), field.getValue());
      }
      if (grpc) {
        grpc(signal, headers, body, response, callback);
      } else {
        http(signal, headers, body, response, callback);
      }
      return true;
    }

    private void http(String signal, Map<String, String> headers, byte[] body, Response response, Callback callback)
        throws IOException {
      if (failing) {
        refused.incrementAndGet();
        response.setStatus(503);
        response.write(true, ByteBuffer.allocate(0), callback);
        return;
      }
      byte[] raw = "gzip".equalsIgnoreCase(headers.get("content-encoding")) ? gunzip(body) : body;
      Received got = new Received(signal, false, Map.copyOf(headers), parse(signal, raw));
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-protobuf");
      response.write(true, ByteBuffer.wrap(emptyResponse(signal).toByteArray()), acknowledged(got, callback));
    }

    private void grpc(String signal, Map<String, String> headers, byte[] body, Response response, Callback callback)
        throws IOException {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/grpc");
      if (failing) {
        refused.incrementAndGet();
        response.setTrailersSupplier(() -> HttpFields.build().put("grpc-status", "14")
            .put("grpc-message", "receiver failing on purpose"));
        response.write(true, ByteBuffer.allocate(0), callback);
        return;
      }
      // gRPC framing: 1 byte compressed flag, 4 bytes big-endian length, then the message.
      ByteBuffer frame = ByteBuffer.wrap(body);
      boolean compressed = frame.get() == 1;
      byte[] message = new byte[frame.getInt()];
      frame.get(message);
      byte[] raw = compressed ? gunzip(message) : message;
      // recorded before the answer: over HTTP/2 the write's callback does not say when the trailers went out
      received.add(new Received(signal, true, Map.copyOf(headers), parse(signal, raw)));
      byte[] reply = emptyResponse(signal).toByteArray();
      ByteBuffer out = ByteBuffer.allocate(5 + reply.length).put((byte) 0).putInt(reply.length).put(reply).flip();
      response.setTrailersSupplier(() -> HttpFields.build().put("grpc-status", "0"));
      response.write(true, out, callback);
    }

    /**
     * Counts an export as received once its answer went out, as a collector's acknowledgement. {@link #stop()} waits
     * for it (the graceful handler), so an export is either answered and counted or refused and sent again.
     */
    private Callback acknowledged(Received got, Callback callback) {
      return Callback.from(() -> {
        received.add(got);
        callback.succeeded();
      }, callback::failed);
    }
  }

  private static String signal(String path, boolean grpc) {
    if (grpc) {
      return switch (path) {
        case "/opentelemetry.proto.collector.trace.v1.TraceService/Export" -> "traces";
        case "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export" -> "metrics";
        case "/opentelemetry.proto.collector.logs.v1.LogsService/Export" -> "logs";
        default -> null;
      };
    }
    return switch (path) {
      case "/v1/traces" -> "traces";
      case "/v1/metrics" -> "metrics";
      case "/v1/logs" -> "logs";
      default -> null;
    };
  }

  private static Message parse(String signal, byte[] raw) throws InvalidProtocolBufferException {
    return switch (signal) {
      case "traces" -> ExportTraceServiceRequest.parseFrom(raw);
      case "metrics" -> ExportMetricsServiceRequest.parseFrom(raw);
      default -> ExportLogsServiceRequest.parseFrom(raw);
    };
  }

  private static Message emptyResponse(String signal) {
    return switch (signal) {
      case "traces" -> ExportTraceServiceResponse.getDefaultInstance();
      case "metrics" -> ExportMetricsServiceResponse.getDefaultInstance();
      default -> ExportLogsServiceResponse.getDefaultInstance();
    };
  }

  private static byte[] gunzip(byte[] body) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
