package dev.mcpgw.observability.internal.export;

import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.function.Supplier;

/**
 * A meter provider resolved when a meter is first asked for, for exporters whose builders take a provider rather
 * than a supplier: they are built before the SDK's meter provider exists.
 */
final class LazyMeterProvider implements MeterProvider {

  private final Supplier<MeterProvider> delegate;

  LazyMeterProvider(Supplier<MeterProvider> delegate) {
    this.delegate = delegate;
  }

  @Override
  public MeterBuilder meterBuilder(String instrumentationScopeName) {
    return delegate.get().meterBuilder(instrumentationScopeName);
  }
}
