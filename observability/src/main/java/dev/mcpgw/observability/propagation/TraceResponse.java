package dev.mcpgw.observability.propagation;

import io.opentelemetry.api.trace.SpanContext;

/**
 * The W3C Trace Context Level 2 {@code traceresponse} header, which tells the caller which trace its request
 * became part of (the gateway sets it on every traced response).
 */
public final class TraceResponse {

  /** The header name. */
  public static final String HEADER = "traceresponse";

  private TraceResponse() {}

  /** {@code 00-<trace id>-<span id>-<flags>} for a valid context, else null (send no header). */
  public static String value(SpanContext context) {
    if (context == null || !context.isValid()) {
      return null;
    }
    return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
  }
}
