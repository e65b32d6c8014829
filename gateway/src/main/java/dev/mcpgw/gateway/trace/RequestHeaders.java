package dev.mcpgw.gateway.trace;

import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;

/** Reads propagation fields ({@code traceparent}, {@code b3}, ...) from a servlet request's headers. */
enum RequestHeaders implements TextMapGetter<HttpServletRequest> {
  INSTANCE;

  @Override
  public Iterable<String> keys(HttpServletRequest request) {
    Enumeration<String> names = request.getHeaderNames();
    return names == null ? java.util.List.of() : Collections.list(names);
  }

  @Override
  public String get(HttpServletRequest request, String key) {
    return request == null || key == null ? null : request.getHeader(key);
  }
}
