package dev.mcpgw.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bridges the gateway's log lines to OpenTelemetry log records, with the fields of the JSON line: the redacted
 * message as body, the level as severity, the logger as instrumentation scope, {@code thread.name}, the request,
 * user and tenant ids as {@code request.id}, {@code user.id}, {@code tenant.id}, the exception as
 * {@code exception.*}, and the trace and span ids as the record's trace context (the current span, or the ids in the
 * MDC when the line was written off the span's thread).
 */
final class OtlpLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  // a log line written while exporting (an exporter's failure) is not exported again
  private static final ThreadLocal<Boolean> EMITTING = ThreadLocal.withInitial(() -> false);

  private final LoggerProvider loggers;

  OtlpLogAppender(LoggerProvider loggers) {
    this.loggers = loggers;
    setName("OTLP");
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (EMITTING.get() || event.getLoggerName().startsWith("io.opentelemetry")) {
      return;
    }
    EMITTING.set(true);
    try {
      LogRecordBuilder record = loggers.get(event.getLoggerName()).logRecordBuilder()
          .setTimestamp(event.getTimeStamp(), TimeUnit.MILLISECONDS)
          .setSeverity(severity(event.getLevel()))
          .setSeverityText(event.getLevel().toString())
          .setBody(LogRedaction.redact(event.getFormattedMessage()))
          .setAllAttributes(attributes(event));
      record.setContext(context(event.getMDCPropertyMap()));
      record.emit();
    } catch (RuntimeException e) {
      addWarn("could not emit a log record: " + e);
    } finally {
      EMITTING.set(false);
    }
  }

  private static Attributes attributes(ILoggingEvent event) {
    AttributesBuilder a = Attributes.builder().put(THREAD_NAME, event.getThreadName());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      putIfPresent(a, GatewayAttributes.REQUEST_ID, mdc.get("request_id"));
      putIfPresent(a, GatewayAttributes.USER_ID, mdc.get("user_id"));
      putIfPresent(a, GatewayAttributes.TENANT_ID, mdc.get("tenant_id"));
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      a.put(EXCEPTION_TYPE, error.getClassName());
      putIfPresent(a, EXCEPTION_MESSAGE, LogRedaction.redact(error.getMessage()));
      a.put(EXCEPTION_STACKTRACE, LogRedaction.redact(ThrowableProxyUtil.asString(error)));
    }
    return a.build();
  }

  private static void putIfPresent(AttributesBuilder a, AttributeKey<String> key, String value) {
    if (value != null && !value.isEmpty()) {
      a.put(key, value);
    }
  }

  /** The current context when a span is current, else one carrying the MDC's trace and span ids, if any. */
  private static Context context(Map<String, String> mdc) {
    Context current = Context.current();
    if (Span.fromContext(current).getSpanContext().isValid() || mdc == null) {
      return current;
    }
    String traceId = mdc.get("trace_id");
    String spanId = mdc.get("span_id");
    if (traceId == null || spanId == null) {
      return current;
    }
    String flags = mdc.get("trace_flags");
    SpanContext remote = SpanContext.create(traceId, spanId,
        "01".equals(flags) ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    return remote.isValid() ? current.with(Span.wrap(remote)) : current;
  }

  private static Severity severity(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> Severity.ERROR;
      case Level.WARN_INT -> Severity.WARN;
      case Level.INFO_INT -> Severity.INFO;
      case Level.DEBUG_INT -> Severity.DEBUG;
      default -> Severity.TRACE;
    };
  }
}
