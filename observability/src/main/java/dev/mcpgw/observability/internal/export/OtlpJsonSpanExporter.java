package dev.mcpgw.observability.internal.export;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * OTLP JSON (an {@code ExportTraceServiceRequest}), one line per batch. Ours rather than
 * {@code opentelemetry-exporter-logging-otlp}, whose last release (1.63) is binary-incompatible with SDK 1.68; it
 * uses the OTLP marshaler of the exporter library that ships with the SDK, so the JSON matches what OTLP sends.
 */
final class OtlpJsonSpanExporter implements SpanExporter {

  private final Consumer<String> sink;
  private volatile boolean stopped;

  private OtlpJsonSpanExporter(Consumer<String> sink) {
    this.sink = sink;
  }

  static OtlpJsonSpanExporter toStream(PrintStream out) {
    return new OtlpJsonSpanExporter(line -> {
      synchronized (out) {
        out.println(line);
      }
    });
  }

  static OtlpJsonSpanExporter toLogger(Logger logger) {
    return new OtlpJsonSpanExporter(line -> logger.log(Level.INFO, line));
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (stopped) {
      return CompletableResultCode.ofFailure();
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try {
      TraceRequestMarshaler.create(spans).writeJsonTo(buffer);
    } catch (IOException e) {
      return CompletableResultCode.ofFailure();
    }
    sink.accept(buffer.toString(StandardCharsets.UTF_8));
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    stopped = true;
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "OtlpJsonSpanExporter";
  }
}
