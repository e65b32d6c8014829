package dev.mcpgw.observability.config;

import java.util.Objects;

/**
 * Which sampler decides whether a new trace is recorded.
 *
 * @param strategy the sampler
 * @param ratio share of traces kept by ratio strategies, 0..1; the adaptive sampler's starting ratio
 * @param maxPerSecond root spans per second for {@code rate_limited} (cap) and {@code adaptive} (target)
 * @param jaegerRemoteArg the {@code OTEL_TRACES_SAMPLER_ARG} of {@code jaeger_remote}
 *     ({@code endpoint=...,pollingIntervalMs=...,initialSamplingRate=...}); empty otherwise
 */
public record SamplingConfig(Strategy strategy, double ratio, double maxPerSecond, String jaegerRemoteArg) {

  public SamplingConfig {
    Objects.requireNonNull(strategy, "strategy");
    jaegerRemoteArg = jaegerRemoteArg == null ? "" : jaegerRemoteArg;
  }

  public static SamplingConfig of(Strategy strategy) {
    return new SamplingConfig(strategy, 1.0, 100, "");
  }

  /** Standard OTEL_TRACES_SAMPLER names plus the gateway's own YAML strategies (ADR 0006). */
  public enum Strategy {
    ALWAYS_ON("always_on"),
    ALWAYS_OFF("always_off"),
    TRACEIDRATIO("traceidratio"),
    PARENTBASED_ALWAYS_ON("parentbased_always_on"),
    PARENTBASED_ALWAYS_OFF("parentbased_always_off"),
    PARENTBASED_TRACEIDRATIO("parentbased_traceidratio"),
    JAEGER_REMOTE("jaeger_remote"),
    PARENTBASED_JAEGER_REMOTE("parentbased_jaeger_remote"),
    /** YAML {@code always}: parent-based, always on. */
    ALWAYS("always"),
    /** YAML {@code probabilistic}: parent-based trace-id ratio of {@code rate}. */
    PROBABILISTIC("probabilistic"),
    /** YAML {@code rate_limited}: parent-based, at most {@code max_per_second} new traces per second. */
    RATE_LIMITED("rate_limited"),
    /** YAML {@code adaptive}: parent-based, a ratio steered so about {@code max_per_second} new traces are kept. */
    ADAPTIVE("adaptive");

    private final String configName;

    Strategy(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }
}
