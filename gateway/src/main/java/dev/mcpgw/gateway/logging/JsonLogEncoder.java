package dev.mcpgw.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per line: {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, then, when known, {@code trace_id}, {@code span_id}, {@code request_id}, {@code user_id},
 * {@code tenant_id} (from the MDC), and {@code exception} ({@code type}, {@code message}, {@code stack_trace}). Messages
 * and exceptions pass through {@link LogRedaction}; the MDC's values are ids the gateway set, never free text.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  /** The MDC keys copied to the line, in this order. */
  static final List<String> MDC_FIELDS = List.of("trace_id", "span_id", "request_id", "user_id", "tenant_id");
  private static final byte[] NOTHING = new byte[0];
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", LogRedaction.redact(event.getFormattedMessage()));
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        for (String key : MDC_FIELDS) {
          String value = mdc.get(key);
          if (value != null && !value.isEmpty()) {
            g.writeStringField(key, value);
          }
        }
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        g.writeObjectFieldStart("exception");
        g.writeStringField("type", error.getClassName());
        g.writeStringField("message", LogRedaction.redact(error.getMessage()));
        g.writeStringField("stack_trace", LogRedaction.redact(ThrowableProxyUtil.asString(error)));
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      // a ByteArrayOutputStream does not fail
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }
}
