package dev.mcpgw.observability.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Level;
import dev.mcpgw.observability.testing.LogCapture;
import dev.mcpgw.observability.testing.ThrowingSpanExporter;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardedSpanExporterTest {

  @Test
  void throwingExporterBecomesAFailedResultAndOneLogLine() {
    GuardedSpanExporter guarded = new GuardedSpanExporter("broken", new ThrowingSpanExporter());
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
