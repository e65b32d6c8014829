package dev.mcpgw.gateway.usage;

import java.util.List;
import java.util.function.Supplier;

/**
 * What accounting tells the metrics ({@code trace} implements it): each accounted call, on the accounting thread,
 * and each call a quota rejected, on the request thread. Implementations must be quick and never throw.
 */
public interface UsageListener {
  void accounted(Accounted call);

  void rejected(QuotaExceeded rejection);

  /** Registers the quotas' utilisation, read at each collection; by default nothing. */
  default void quotas(Supplier<List<QuotaStatus>> statuses) {}

  UsageListener NONE = new UsageListener() {
    @Override
    public void accounted(Accounted call) {}

    @Override
    public void rejected(QuotaExceeded rejection) {}
  };
}
