package dev.mcpgw.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streaming HTTP proxy on 127.0.0.1 in front of a real server that can be told to fail the next POSTs with a status
 * of our choosing, as an overloaded or broken upstream would; it records the headers it received. SSE answers are
 * passed through as they arrive.
 */
public final class FaultyHttpProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
      "transfer-encoding", "keep-alive");

  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).build();
  private final URI target;
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private final AtomicInteger cutAfterEvents = new AtomicInteger();
  private final AtomicInteger posts = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

  /** One request received: {@code METHOD path body} and its headers together. */
  public record Recorded(String request, Map<String, List<String>> headers) {
    /** The first value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private FaultyHttpProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Proxies to {@code target} ({@code http://host:port}). */
  public static FaultyHttpProxy start(String target) {
    try {
      return new FaultyHttpProxy(URI.create(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The proxy's URL for {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The next {@code count} POSTs are answered with {@code status} and never reach the server. */
  public void failNextPosts(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /**
   * The next SSE answer to a POST is cut (the connection closed both ways) after {@code events} events, as a network
   * failure or a restarting load balancer would.
   */
  public void cutNextPostStreamAfter(int events) {
    cutAfterEvents.set(events);
  }

  /** POSTs received, failed or forwarded. */
  public int posts() {
    return posts.get();
  }

  /** POSTs answered with the failure status. */
  public int failed() {
    return failed.get();
  }

  /** The headers of every request received, in order. */
  public List<Map<String, List<String>>> requestHeaders() {
    return List.copyOf(requestHeaders);
  }

  /** Every request received, in order, with its headers. */
  public List<Recorded> recorded() {
    return List.copyOf(recorded);
  }

  /** Every request received, in order, as {@code METHOD path body}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requestHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
      byte[] body = exchange.getRequestBody().readAllBytes();
      String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + new String(body, StandardCharsets.UTF_8);
      requests.add(request);
      recorded.add(new Recorded(request, Map.copyOf(exchange.getRequestHeaders())));
      if ("POST".equals(exchange.getRequestMethod())) {
        posts.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          failed.incrementAndGet();
          byte[] text = "{\"error\":\"injected failure\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(failureStatus, text.length);
          exchange.getResponseBody().write(text);
          return;
        }
      }
      forward(exchange, body);
    }
  }

  private void forward(HttpExchange exchange, byte[] body) throws IOException {
    URI uri = target.resolve(exchange.getRequestURI().toString());
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> b.header(name, v));
      }
    });
    HttpResponse<InputStream> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      exchange.sendResponseHeaders(502, -1);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(502, -1);
      return;
    }
    response.headers().map().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    boolean empty = response.headers().firstValueAsLong("Content-Length").orElse(-1) == 0;
    boolean sse = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
    int cutAfter = sse && "POST".equals(exchange.getRequestMethod()) ? cutAfterEvents.getAndSet(0) : 0;
    exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : 0);
    try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
      byte[] buffer = new byte[8192];
      int n;
      int events = 0;
      int previous = -1;
      while ((n = in.read(buffer)) >= 0) {
        int end = n;
        for (int i = 0; i < n && cutAfter > 0; i++) {
          if (buffer[i] == '\n' && previous == '\n' && ++events == cutAfter) {
            end = i + 1;
            break;
          }
          previous = buffer[i];
        }
        out.write(buffer, 0, end); 
        out.flush(); // event by event, as an SSE stream must flow
        if (cutAfter > 0 && events >= cutAfter) {
          return; // closing both streams ends the answer here
        }
      }
    } catch (IOException e) {
      // either side went away: the stream ends
    }
  }

  @Override
  public void close() {
    server.stop(0);
    client.shutdownNow();
    threads.shutdownNow();
  }
}
