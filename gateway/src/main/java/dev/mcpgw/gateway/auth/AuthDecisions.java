package dev.mcpgw.gateway.auth;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;

/**
 * Where every authentication decision is reported: accepted or refused, why, and by which issuer (a bounded label,
 * never a value from an unverified token, never the token). {@link #observed} counts them in
 * {@value #METRIC} and puts them on the current span (the HTTP SERVER span).
 */
public interface AuthDecisions {
  /** The counter's name. */
  String METRIC = "mcpgw.auth.decisions";
  /** The issuer label when the token named no configured issuer (or there was no token). */
  String NO_ISSUER = "none";
  /** The issuer label of the gateway's own HS256 tokens. */
  String GATEWAY_ISSUER = "mcpgw";
  /** The issuer label of basic auth. */
  String BASIC = "basic";

  AttributeKey<String> RESULT = AttributeKey.stringKey("mcpgw.auth.result");
  AttributeKey<String> REASON = AttributeKey.stringKey("mcpgw.auth.reason");
  AttributeKey<String> ISSUER = AttributeKey.stringKey("mcpgw.auth.issuer");

  /** Reports nothing. */
  AuthDecisions NONE = new AuthDecisions() {
    @Override
    public void accepted(String issuer) {}

    @Override
    public void refused(AuthenticationException refusal) {}
  };

  void accepted(String issuer);

  void refused(AuthenticationException refusal);

  /**
   * Counts decisions in {@value #METRIC} ({@code result}, {@code reason}, {@code issuer}) when {@code meter} is not
   * {@code null}, and sets {@code mcpgw.auth.*} attributes on the current span (a no-op when tracing is off).
   */
  static AuthDecisions observed(Meter meter) {
    LongCounter counter = meter == null ? null : meter.counterBuilder(METRIC)
        .setDescription("Authentication decisions: accepted or refused, by reason and issuer")
        .setUnit("{decision}")
        .build();
    return new AuthDecisions() {
      @Override
      public void accepted(String issuer) {
        record(Attributes.of(RESULT, "accepted", REASON, "ok", ISSUER, issuer));
      }

      @Override
      public void refused(AuthenticationException refusal) {
        record(Attributes.of(RESULT, "refused", REASON, refusal.failure().label(), ISSUER, refusal.issuer()));
      }

      private void record(Attributes attributes) {
        Span.current().setAllAttributes(attributes);
        if (counter != null) {
          counter.add(1, Attributes.of(AttributeKey.stringKey("result"), attributes.get(RESULT),
              AttributeKey.stringKey("reason"), attributes.get(REASON),
              AttributeKey.stringKey("issuer"), attributes.get(ISSUER)));
        }
      }
    };
  }
}
