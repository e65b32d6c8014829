package dev.mcpgw.observability.internal.export;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.marshal.Serializer;
import io.opentelemetry.exporter.otlp.internal.GrpcExporter;
import io.opentelemetry.exporter.otlp.internal.HttpExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * An OTLP span exporter that encodes with {@link OtlpTraceEncoder} and hands the bytes to the SDK's own HTTP or gRPC
 * exporter (ADR 0037). Everything after the encoding is the SDK's: the sender, headers, TLS, compression, timeouts,
 * retries, the request size limit, the export metrics and the log of failures.
 *
 * <p>The encoder and its buffer go back for reuse once the SDK has answered the export. An export that overlaps one
 * still under way (a replay from the resilient export's thread, or a batch whose result timed out) gets a new encoder;
 * so a buffer is never rewritten while a sender may still read it.
 */
final class EncodedOtlpSpanExporter implements SpanExporter {

  /** A buffer larger than this after an export is not kept for the next one. */
  private static final int MAX_KEPT_BYTES = 8 << 20;
  private static final int FIRST_CAPACITY = 64 << 10;

  private final String description;
  private final BiFunction<Marshaler, Integer, CompletableResultCode> send;
  private final Supplier<CompletableResultCode> shutdown;
  private final AtomicReference<OtlpTraceEncoder> idle = new AtomicReference<>();

  EncodedOtlpSpanExporter(String description, BiFunction<Marshaler, Integer, CompletableResultCode> send,
      Supplier<CompletableResultCode> shutdown) {
    this.description = description;
    this.send = send;
    this.shutdown = shutdown;
  }

  static EncodedOtlpSpanExporter overHttp(HttpExporter http, String description) {
    return new EncodedOtlpSpanExporter(description, http::export, http::shutdown);
  }

  static EncodedOtlpSpanExporter overGrpc(GrpcExporter grpc, String description) {
    return new EncodedOtlpSpanExporter(description, grpc::export, grpc::shutdown);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    OtlpTraceEncoder taken = idle.getAndSet(null);
    OtlpTraceEncoder encoder = taken != null ? taken : new OtlpTraceEncoder(new ProtoWriter(FIRST_CAPACITY));
    encoder.encode(spans);
    CompletableResultCode result = send.apply(new EncodedRequest(encoder.writer()), spans.size());
    result.whenComplete(() -> {
      if (encoder.writer().capacity() <= MAX_KEPT_BYTES) {
        idle.set(encoder);
      }
    });
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return shutdown.get();
  }

  @Override
  public String toString() {
    return description;
  }

  /** The encoded request as the SDK's exporters take it: its size, and a writer that copies its bytes. */
  private static final class EncodedRequest extends Marshaler implements MessageWriter {
    private final ProtoWriter bytes;

    EncodedRequest(ProtoWriter bytes) {
      this.bytes = bytes;
    }

    @Override
    public int getBinarySerializedSize() {
      return bytes.size();
    }

    @Override
    public MessageWriter toBinaryMessageWriter() {
      return this;
    }

    @Override
    public void writeMessage(OutputStream output) throws IOException {
      bytes.writeTo(output);
    }

    @Override
    public int getContentLength() {
      return bytes.size();
    }

    /** Field by field writing (the SDK's JSON and generic paths) is not offered: the request is already encoded. */
    @Override
    protected void writeTo(Serializer output) throws IOException {
      throw new IOException("an encoded OTLP request can only be written as protobuf bytes");
    }
  }
}
