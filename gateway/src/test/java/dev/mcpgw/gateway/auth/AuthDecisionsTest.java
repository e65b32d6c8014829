package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.config.SettingsLoader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthDecisionsTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);
  @TempDir Path tmp;
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(metrics).build();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracers = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final TokenService tokens = TokenService.create(SECRET);
  private Authenticator authenticator;

  @BeforeEach
  void create() {
    authenticator = Authenticator.create(SettingsLoader.load(Map.of(), tmp), tokens,
        AuthDecisions.observed(meters.get("test")));
  }

  @AfterEach
  void close() {
    meters.close();
    tracers.close();
  }

  /** Authenticates {@code header} inside a span; the span's attributes after. */
  private Attributes insideASpan(String header) {
    Span span = tracers.get("test").spanBuilder("POST /mcp").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      authenticator.authenticate(header);
    } catch (AuthenticationException e) {
      // recorded as a refusal
    } finally {
      span.end();
    }
    List<SpanData> done = spans.getFinishedSpanItems();
    return done.get(done.size() - 1).getAttributes();
  }

  @Test
  void everyDecisionIsOnTheSpanAndCountedByResultReasonAndIssuerWithoutTheToken() {
    String good = tokens.issue(new Caller("bob", "acme", false), Duration.ofMinutes(5));
    String forged = good.substring(0, good.length() - 4) + "AAAA";

    Attributes accepted = insideASpan("Bearer " + good);
    Attributes refused = insideASpan("Bearer " + forged);
    Attributes missing = insideASpan(null);
    insideASpan("Bearer not-a-jwt");

    assertThat(accepted.get(AuthDecisions.RESULT)).isEqualTo("accepted");
    assertThat(accepted.get(AuthDecisions.ISSUER)).isEqualTo("mcpgw");
    assertThat(refused.get(AuthDecisions.RESULT)).isEqualTo("refused");
    assertThat(refused.get(AuthDecisions.REASON)).isEqualTo("bad_signature");
    assertThat(missing.get(AuthDecisions.REASON)).isEqualTo("missing");
    assertThat(missing.get(AuthDecisions.ISSUER)).isEqualTo("none");
    Map<String, Long> counts = new HashMap<>();
    for (MetricData m : metrics.collectAllMetrics()) {
      assertThat(m.getName()).isEqualTo(AuthDecisions.METRIC);
      for (LongPointData p : m.getLongSumData().getPoints()) {
        Attributes a = p.getAttributes();
        counts.put(a.get(AttributeKey.stringKey("result")) + "/" + a.get(AttributeKey.stringKey("reason")) + "/"
            + a.get(AttributeKey.stringKey("issuer")), p.getValue());
        assertThat(a.asMap().values()).allSatisfy(v -> assertThat(v.toString()).doesNotContain(good, forged));
      }
    }
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("accepted/ok/mcpgw", 1L,
        "refused/bad_signature/mcpgw", 1L, "refused/missing/none", 1L, "refused/malformed/none", 1L));
    for (SpanData s : spans.getFinishedSpanItems()) {
      assertThat(s.getAttributes().asMap().values()).allSatisfy(v -> assertThat(v.toString()).doesNotContain(good));
    }
  }

  @Test
  void aRefusalIsStillThrownToTheCaller() {
    assertThatThrownBy(() -> authenticator.authenticate("Digest x")).isInstanceOfSatisfying(
        AuthenticationException.class, e -> assertThat(e.failure()).isEqualTo(AuthFailure.UNSUPPORTED_SCHEME));
  }
}
