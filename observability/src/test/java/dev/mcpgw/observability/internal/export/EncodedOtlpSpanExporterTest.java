package dev.mcpgw.observability.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedOtlpSpanExporterTest {

  private final List<MessageWriter> sent = new ArrayList<>();
  private final List<CompletableResultCode> results = new ArrayList<>();
  private final EncodedOtlpSpanExporter exporter = new EncodedOtlpSpanExporter("test", this::send,
      CompletableResultCode::ofSuccess);

  private CompletableResultCode send(Marshaler request, int spans) {
    MessageWriter writer = request.toBinaryMessageWriter();
    assertThat(writer.getContentLength()).isEqualTo(request.getBinarySerializedSize());
    sent.add(writer);
    CompletableResultCode result = new CompletableResultCode();
    results.add(result);
    return result;
  }

  @Test
  void sendsTheEncodedRequestWithItsLength() throws IOException {
    List<SpanData> spans = List.of(span("a", "0000000000000001"));
    exporter.export(spans);
    assertThat(bytes(sent.get(0))).isEqualTo(sdkBytes(spans));
    assertThat(sent.get(0).getContentLength()).isEqualTo(sdkBytes(spans).length);
  }

  @Test
  void neverRewritesARequestWhoseExportIsStillUnanswered() throws IOException {
    List<SpanData> first = List.of(span("first", "0000000000000001"));
    List<SpanData> second = List.of(span("second, a longer name", "0000000000000002"));
    exporter.export(first);
    exporter.export(second);
    assertThat(bytes(sent.get(0))).isEqualTo(sdkBytes(first));
    assertThat(bytes(sent.get(1))).isEqualTo(sdkBytes(second));
  }

  @Test
  void reusesTheBufferOnceTheExportWasAnswered() throws IOException {
    List<SpanData> first = List.of(span("first", "0000000000000001"));
    List<SpanData> second = List.of(span("second", "0000000000000002"));
    exporter.export(first);
    results.get(0).succeed();
    exporter.export(second);
    // The first request's writer now shows the second batch: its buffer was taken for the next export.
    assertThat(bytes(sent.get(0))).isEqualTo(sdkBytes(second));
    assertThat(bytes(sent.get(1))).isEqualTo(sdkBytes(second));
  }

  @Test
  void aFailedExportReturnsItsBufferToo() throws IOException {
    List<SpanData> second = List.of(span("second", "0000000000000002"));
    exporter.export(List.of(span("first", "0000000000000001")));
    results.get(0).fail();
    exporter.export(second);
    assertThat(bytes(sent.get(0))).isEqualTo(sdkBytes(second));
  }

  @Test
  void offersNoFieldByFieldWriting() {
    Marshaler[] captured = new Marshaler[1];
    new EncodedOtlpSpanExporter("json", (request, n) -> {
      captured[0] = request;
      return CompletableResultCode.ofSuccess();
    }, CompletableResultCode::ofSuccess).export(List.of(span("a", "0000000000000001")));
    assertThatThrownBy(() -> captured[0].writeJsonTo(new ByteArrayOutputStream()))
        .isInstanceOf(IOException.class).hasMessageContaining("protobuf");
  }

  private static byte[] bytes(MessageWriter writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeMessage(out);
    return out.toByteArray();
  }

  private static byte[] sdkBytes(List<SpanData> spans) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    return out.toByteArray();
  }

  private static SpanData span(String name, String spanId) {
    return TestSpanData.builder()
        .setSpanContext(SpanContext.create("0af7651916cd43dd8448eb211c80319c", spanId, TraceFlags.getSampled(),
            TraceState.getDefault()))
        .setName(name).setKind(SpanKind.SERVER).setStartEpochNanos(1).setEndEpochNanos(2)
        .setStatus(StatusData.unset()).setHasEnded(true).build();
  }
}
