package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.RequestIdFilter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Response;

/**
 * Hands every finished HTTP request ({@link CompletedRequest}) to its listeners (request metrics, access log): when
 * the chain returns, or, for a request that went async (SSE streams), when its stream completes. Runs inside the HTTP
 * SERVER span, whose ids it keeps. A listener's failure never reaches the client.
 */
final class HttpRequestRecorder extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE");

  private final transient RouteTemplates routes;
  private final transient List<Consumer<CompletedRequest>> listeners;

  HttpRequestRecorder(RouteTemplates routes, List<Consumer<CompletedRequest>> listeners) {
    this.routes = routes;
    this.listeners = List.copyOf(listeners);
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    long start = System.nanoTime();
    SpanContext span = Span.current().getSpanContext();
    boolean failed = true;
    try {
      chain.doFilter(req, res);
      failed = false;
    } finally {
      if (!failed && req.isAsyncStarted()) {
        whenComplete(req, start, span);
      } else {
        record(req, failed ? 500 : res.getStatus(), start, span);
      }
    }
  }

  private void whenComplete(HttpServletRequest req, long start, SpanContext span) {
    try {
      req.getAsyncContext().addListener(new AsyncListener() {
        @Override
        public void onComplete(AsyncEvent event) {
          record(req, ((HttpServletResponse) event.getSuppliedResponse()).getStatus(), start, span);
        }

        @Override
        public void onTimeout(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {}

        @Override
        public void onStartAsync(AsyncEvent event) {}
      });
    } catch (RuntimeException e) {
      record(req, 200, start, span);
    }
  }

  private void record(HttpServletRequest req, int status, long start, SpanContext span) {
    try {
      String method = KNOWN_METHODS.contains(req.getMethod()) ? req.getMethod() : "_OTHER";
      CompletedRequest done = new CompletedRequest(method, routes.of(req.getRequestURI()), status,
          System.nanoTime() - start, bytesWritten(req),
          req.getAttribute(RequestIdFilter.ATTRIBUTE) instanceof String id ? id : null,
          req.getAttribute(Caller.class.getName()) instanceof Caller c ? c : null, span);
      for (Consumer<CompletedRequest> listener : listeners) {
        listener.accept(done);
      }
    } catch (RuntimeException e) {
      // telemetry only: the answer stands
    }
  }

  private static long bytesWritten(HttpServletRequest req) {
    ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(req);
    return jetty == null ? -1 : Response.getContentBytesWritten(jetty.getServletContextResponse());
  }
}
