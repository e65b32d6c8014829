package dev.mcpgw.observability.internal.sampling;

import dev.mcpgw.observability.config.SamplingConfig;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.extension.trace.jaeger.sampler.JaegerRemoteSampler;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.Closeable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Builds the configured sampler. The gateway's own YAML strategies are always parent-based. */
public final class Samplers {

  private Samplers() {}

  /** The sampler for {@code config}, on the system clock. */
  static Sampler create(SamplingConfig config, String serviceName) {
    return create(config, serviceName, Clock.getDefault(), c -> { });
  }

  /**
   * The sampler for {@code config}.
   *
   * @param onCloseable receives samplers holding resources (the Jaeger remote sampler's poller) to close at shutdown
   */
  public static Sampler create(SamplingConfig config, String serviceName, Clock clock,
      Consumer<Closeable> onCloseable) {
    return switch (config.strategy()) {
      case ALWAYS_ON -> Sampler.alwaysOn();
      case ALWAYS_OFF -> Sampler.alwaysOff();
      case TRACEIDRATIO -> Sampler.traceIdRatioBased(config.ratio());
      case PARENTBASED_ALWAYS_ON, ALWAYS -> Sampler.parentBased(Sampler.alwaysOn());
      case PARENTBASED_ALWAYS_OFF -> Sampler.parentBased(Sampler.alwaysOff());
      case PARENTBASED_TRACEIDRATIO, PROBABILISTIC -> Sampler.parentBased(Sampler.traceIdRatioBased(config.ratio()));
      case RATE_LIMITED -> Sampler.parentBased(new RateLimitingSampler(config.maxPerSecond(), clock));
      case ADAPTIVE -> Sampler.parentBased(new AdaptiveSampler(config.maxPerSecond(), config.ratio(),
          AdaptiveSampler.DEFAULT_WINDOW, AdaptiveSampler.DEFAULT_SMOOTHING, clock));
      case JAEGER_REMOTE -> jaegerRemote(config, serviceName, onCloseable);
      case PARENTBASED_JAEGER_REMOTE -> Sampler.parentBased(jaegerRemote(config, serviceName, onCloseable));
    };
  }

  private static Sampler jaegerRemote(SamplingConfig config, String serviceName, Consumer<Closeable> onCloseable) {
    Map<String, String> args = new LinkedHashMap<>();
    for (String part : config.jaegerRemoteArg().split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        args.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    JaegerRemoteSampler sampler = JaegerRemoteSampler.builder()
        .setServiceName(serviceName)
        .setEndpoint(args.getOrDefault("endpoint", "http://localhost:14250"))
        .setPollingInterval(Duration.ofMillis(Long.parseLong(args.getOrDefault("pollingIntervalMs", "60000"))))
        .setInitialSampler(Sampler.traceIdRatioBased(
            Double.parseDouble(args.getOrDefault("initialSamplingRate", "0.001"))))
        .build();
    onCloseable.accept(sampler);
    return sampler;
  }
}
