package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.opentelemetry.api.trace.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** The production {@code logback.xml} prints the request id and the current trace and span ids on each line. */
class LogCorrelationTest {
  private final RecordingTracing tracing = RecordingTracing.start();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream originalErr = System.err;
  private LoggerContext context;

  @BeforeEach
  void configure() throws Exception {
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    context = new LoggerContext();
    // the MDC that SLF4J's MDC.put writes to, as in the application's one context
    context.setMDCAdapter(MDC.getMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogCorrelationTest.class.getResource("/logback.xml"));
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    context.stop();
    tracing.close();
    MDC.clear();
  }

  @Test
  void aLineLoggedInsideASpanCarriesRequestTraceAndSpanIds() {
    Logger log = context.getLogger("dev.mcpgw.test");
    Span span = tracing.observability().tracer().spanBuilder("work").startSpan();
    MDC.put("request_id", "rid-7");
    try (var ignored = span.makeCurrent()) {
      log.info("inside");
    } finally {
      span.end();
    }
    MDC.clear();
    log.info("outside");

    // only this test's logger: threads left by other tests in this JVM may log meanwhile
    String[] lines = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("dev.mcpgw.test"))
        .toArray(String[]::new);
    assertThat(lines[0]).contains("request_id=rid-7 trace_id=" + span.getSpanContext().getTraceId() + " span_id="
        + span.getSpanContext().getSpanId()).endsWith("- inside");
    assertThat(lines[1]).doesNotContain("request_id=").doesNotContain("trace_id=").endsWith("- outside");
  }
}
