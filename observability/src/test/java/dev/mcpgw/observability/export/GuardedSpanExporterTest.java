package dev.mcpgw.observability.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Level;
import dev.mcpgw.observability.testing.LogCapture;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardedSpanExporterTest {

  /** An exporter whose every method throws. */
  static final class ThrowingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      throw new IllegalStateException("backend exploded");
    }

    @Override
    public CompletableResultCode flush() {
      throw new IllegalStateException("flush exploded");
    }

    @Override
    public CompletableResultCode shutdown() {
      throw new IllegalStateException("shutdown exploded");
    }
  }

  @Test
  void throwingExporterBecomesAFailedResultAndOneLogLine() {
    GuardedSpanExporter guarded = new GuardedSpanExporter("broken", new ThrowingExporter());
    try (LogCapture log = LogCapture.of(GuardedSpanExporter.class)) {
      for (int i = 0; i < 100; i++) {
        assertThat(guarded.export(List.of()).isSuccess()).isFalse();
      }
      assertThat(log.lines(Level.WARN)).singleElement().asString()
          .contains("'broken'").contains("backend exploded");
    }
    assertThatCode(() -> {
      assertThat(guarded.flush().isSuccess()).isFalse();
      assertThat(guarded.shutdown().isSuccess()).isFalse();
    }).doesNotThrowAnyException();
  }
}
