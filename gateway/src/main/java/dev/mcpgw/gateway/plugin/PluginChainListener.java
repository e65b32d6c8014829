package dev.mcpgw.gateway.plugin;

/**
 * Observes every plugin run without touching plugins: the seam through which tracing turns runs into
 * {@code plugin.<hook>} spans and metrics. Called on the request thread right after each run, so implementations
 * must be quick; the chain catches and logs (rate-limited) whatever a listener throws.
 */
public interface PluginChainListener {

  /** A listener that does nothing; the chain's default. */
  PluginChainListener NOOP = new PluginChainListener() {};

  /** How one plugin run ended. */
  enum Outcome {
    /** The plugin let the request go on (with {@code modified} telling whether it rewrote the payload). */
    PROCEEDED,
    /** An enforcing plugin blocked the request; no later plugin runs. */
    BLOCKED,
    /** A permissive plugin would have blocked; the block was logged and the request went on. */
    WOULD_BLOCK,
    /** The plugin threw or returned an invalid result; {@code error} says what. */
    FAILED
  }

  /**
   * One plugin ran.
   *
   * @param hook the hook it ran at
   * @param context the request's context
   * @param plugin the plugin's configured name
   * @param priority its configured priority
   * @param mode its mode (never {@link PluginConfig.Mode#DISABLED}: disabled plugins never run)
   * @param outcome how the run ended
   * @param modified whether the run changed the payload
   * @param nanos how long {@link Plugin#apply} took, in nanoseconds
   * @param error what the plugin threw (or the contract it broke) when {@code outcome} is {@code FAILED}, else
   *     {@code null}; its message may carry payload data, so record its type rather than its message
   */
  default void onPluginRun(Hook hook, HookContext context, String plugin, int priority, PluginConfig.Mode mode,
      Outcome outcome, boolean modified, long nanos, Throwable error) {}
}
