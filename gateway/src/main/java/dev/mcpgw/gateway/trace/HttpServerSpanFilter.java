package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.RequestIdFilter;
import dev.mcpgw.observability.logging.ThrottledLogger;
import dev.mcpgw.observability.propagation.TraceResponse;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.UserAgentAttributes;
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
import org.slf4j.LoggerFactory;

/**
 * The HTTP SERVER span of every request: parent extracted from the headers with the configured propagators, named
 * {@code {method} {route}} with the route template (never the raw path), the stable HTTP conventions' attributes,
 * the request id, and {@code traceresponse} on the response. It is current while the rest of the chain runs, so the
 * MCP SERVER span and everything below become its children; a request that went async (SSE streams) ends its span
 * when the stream completes. A 5xx (or an exception) marks it ERROR; a 4xx does not, as the conventions ask of
 * server spans.
 */
final class HttpServerSpanFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(HttpServerSpanFilter.class));
  static final AttributeKey<List<String>> REQUEST_ID_HEADER =
      AttributeKey.stringArrayKey("http.request.header.x-request-id");
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE");
  private static final String OTHER_METHOD = "_OTHER";

  private final transient Tracer tracer;
  private final transient TextMapPropagator propagator;
  private final transient RouteTemplates routes;

  HttpServerSpanFilter(Tracer tracer, TextMapPropagator propagator, RouteTemplates routes) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.routes = routes;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    Context context = start(req, res);
    Span span = Span.fromContext(context);
    Throwable failure = null;
    try (Scope ignored = context.makeCurrent()) {
      chain.doFilter(req, res);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      if (failure == null && req.isAsyncStarted()) {
        endWhenComplete(req, span);
      } else {
        end(span, req, failure == null ? res.getStatus() : 500, failure);
      }
    }
  }

  /** The request's context: the extracted parent (with its baggage), the span, the MCP protocol version header. */
  private Context start(HttpServletRequest req, HttpServletResponse res) {
    try {
      Context parent = propagator.extract(Context.current(), req, RequestHeaders.INSTANCE);
      String method = req.getMethod();
      String known = KNOWN_METHODS.contains(method) ? method : OTHER_METHOD;
      String route = routes.of(req.getRequestURI());
      Span span = SpanAttributes.start(tracer.spanBuilder(route == null ? known : known + " " + route)
          .setSpanKind(SpanKind.SERVER)
          .setParent(parent), parent, a -> describe(a, req, method, known, route));
      String traceResponse = TraceResponse.value(span.getSpanContext());
      if (traceResponse != null) {
        res.setHeader(TraceResponse.HEADER, traceResponse);
      }
      Context context = parent.with(span);
      String mcpVersion = req.getHeader(McpServerSpans.PROTOCOL_VERSION_HEADER);
      return mcpVersion == null ? context : context.with(McpServerSpans.PROTOCOL_VERSION, mcpVersion);
    } catch (RuntimeException e) {
      LOG.warn("could not start the HTTP server span; the request goes on untraced", e);
      return Context.current();
    }
  }

  /**
   * The request's attributes, read only for a span that records: an unsampled request pays for its span's ids and
   * context, not for reading the request (ADR 0038).
   */
  private static void describe(SpanAttributes span, HttpServletRequest req, String method, String known, String route) {
    span.put(HttpAttributes.HTTP_REQUEST_METHOD, known);
    span.put(UrlAttributes.URL_PATH, req.getRequestURI());
    span.put(UrlAttributes.URL_SCHEME, req.getScheme());
    span.put(ServerAttributes.SERVER_ADDRESS, req.getServerName());
    span.put(ServerAttributes.SERVER_PORT, (long) req.getServerPort());
    span.put(ClientAttributes.CLIENT_ADDRESS, req.getRemoteAddr());
    span.put(NetworkAttributes.NETWORK_PROTOCOL_VERSION, protocolVersion(req.getProtocol()));
    if (OTHER_METHOD.equals(known)) {
      span.put(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
    }
    if (route != null) {
      span.put(HttpAttributes.HTTP_ROUTE, route);
    }
    String agent = req.getHeader("User-Agent");
    if (agent != null) {
      span.put(UserAgentAttributes.USER_AGENT_ORIGINAL, agent);
    }
    if (req.getAttribute(RequestIdFilter.ATTRIBUTE) instanceof String id) {
      span.put(GatewayAttributes.REQUEST_ID, id);
      // A captured request header only when the client sent it: a generated id was never a request header.
      if (id.equals(req.getHeader(RequestIdFilter.HEADER))) {
        span.put(REQUEST_ID_HEADER, List.of(id));
      }
    }
  }

  private static String protocolVersion(String protocol) {
    // "HTTP/1.1" -> "1.1"
    return protocol != null && protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
  }

  private static void endWhenComplete(HttpServletRequest req, Span span) {
    if (!span.isRecording()) {
      return; // nothing to end: the span was never recorded
    }
    try {
      req.getAsyncContext().addListener(new AsyncListener() {
        @Override
        public void onComplete(AsyncEvent event) {
          end(span, req, ((HttpServletResponse) event.getSuppliedResponse()).getStatus(), null);
        }

        @Override
        public void onTimeout(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {
          span.recordException(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
      });
    } catch (RuntimeException e) {
      // the stream already ended (or the container refused): end the span now rather than never
      end(span, req, 200, null);
    }
  }

  private static void end(Span span, HttpServletRequest req, int status, Throwable failure) {
    if (!span.isRecording()) {
      span.end();
      return;
    }
    try {
      span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
      if (req.getAttribute(Caller.class.getName()) instanceof Caller caller) {
        span.setAttribute(GatewayAttributes.USER_ID, caller.userId());
        span.setAttribute(GatewayAttributes.TENANT_ID, caller.tenantId());
      }
      if (failure != null) {
        span.recordException(failure);
        span.setAttribute(ErrorAttributes.ERROR_TYPE, failure.getClass().getName());
        span.setStatus(StatusCode.ERROR);
      } else if (status >= 500) {
        span.setAttribute(ErrorAttributes.ERROR_TYPE, Integer.toString(status));
        span.setStatus(StatusCode.ERROR);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not finish the HTTP server span", e);
    } finally {
      span.end();
    }
  }
}
