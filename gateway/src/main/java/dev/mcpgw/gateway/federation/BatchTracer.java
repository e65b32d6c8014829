package dev.mcpgw.gateway.federation;

import java.util.function.BooleanSupplier;

/**
 * Gives a batch operation over many upstreams (a health-check round, reconnecting every upstream at start-up) one
 * parent span with a child per upstream, without the registry knowing about tracing. {@link #NONE} runs the work
 * directly; the tracing implementation is chosen at start-up.
 */
public interface BatchTracer {

  /** Traces nothing: items run as they are. */
  BatchTracer NONE = operation -> Batch.NONE;

  /**
   * Starts a batch; its span is current on the calling thread until {@link Batch#close()}, so work done there (listing
   * the upstreams) belongs to it.
   *
   * @param operation the batch's span name, e.g. {@code gateway.health_check_round}
   */
  Batch begin(String operation);

  /** One running batch. */
  interface Batch extends AutoCloseable {
    Batch NONE = new Batch() {
      @Override
      public Runnable item(String operation, String gatewayId, String gatewayName, BooleanSupplier work) {
        return work::getAsBoolean;
      }

      @Override
      public void close() {}
    };

    /**
     * Wraps one item's work so that, on whatever thread it runs, it is a child span of the batch.
     *
     * @param operation the item's span name, e.g. {@code gateway.health_check}
     * @param work returns whether the item succeeded (a failed item's span is marked ERROR)
     */
    Runnable item(String operation, String gatewayId, String gatewayName, BooleanSupplier work);

    /**
     * Leaves the batch's context on this thread; the batch's span ends once every item handed out has finished.
     * Never throws.
     */
    @Override
    void close();
  }
}
