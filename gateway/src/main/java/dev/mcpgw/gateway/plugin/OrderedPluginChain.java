package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.plugin.PluginChainListener.Outcome;
import dev.mcpgw.gateway.plugin.PluginConfig.Mode;
import dev.mcpgw.gateway.plugin.PluginConfig.OnError;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin chain: per hook, an array of plugins in ascending priority fixed at start-up. Each plugin gets the
 * previous one's payload; a plugin that declares it modifies payloads gets a deep copy, so that neither the caller nor
 * an earlier plugin ever sees its mutations. Every failure of a plugin or of the listener is caught here: this is the
 * one place that guarantees the chain never throws.
 */
final class OrderedPluginChain implements PluginChain {
  private static final Logger LOG = LoggerFactory.getLogger(OrderedPluginChain.class);

  /** The JSON-RPC "internal error" code a failing {@code on_error: fail} plugin answers with. */
  static final int INTERNAL_ERROR = -32603;

  private final Entry[][] byHook;
  private final PluginChainListener listener;
  private final ThrottledLogger log;

  private OrderedPluginChain(Entry[][] byHook, PluginChainListener listener, ThrottledLogger log) {
    this.byHook = byHook;
    this.listener = listener;
    this.log = log;
  }

  /**
   * Orders {@code plugins} per hook by priority (ties keep list order) and drops disabled ones.
   *
   * @param nanoTime the clock of the log throttle
   */
  static OrderedPluginChain create(List<ConfiguredPlugin> plugins, PluginChainListener listener, LongSupplier nanoTime) {
    List<ConfiguredPlugin> sorted = new ArrayList<>(plugins);
    sorted.sort(Comparator.comparingInt(p -> p.config().priority())); // List.sort is stable
    Hook[] hooks = Hook.values();
    Entry[][] byHook = new Entry[hooks.length][];
    for (Hook hook : hooks) {
      byHook[hook.ordinal()] = sorted.stream()
          .filter(p -> p.config().mode() != Mode.DISABLED && p.activeHooks().contains(hook))
          .map(Entry::new)
          .toArray(Entry[]::new);
    }
    return new OrderedPluginChain(byHook, listener == null ? PluginChainListener.NOOP : listener,
        ThrottledLogger.of(LOG, ThrottledLogger.DEFAULT_INTERVAL, nanoTime));
  }

  /** Whether no plugin runs at any hook. */
  boolean isEmpty() {
    for (Entry[] entries : byHook) {
      if (entries.length > 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public HookOutcome run(Hook hook, HookContext context, ObjectNode payload) {
    if (hook == null) {
      return new HookOutcome.Proceed(payload, false);
    }
    ObjectNode current = payload;
    boolean modified = false;
    for (Entry e : byHook[hook.ordinal()]) {
      long start = System.nanoTime();
      PluginResult result = null;
      Throwable error;
      try {
        result = e.plugin.apply(hook, context, e.copies && current != null ? current.deepCopy() : current);
        error = contractBreach(e, result);
      } catch (Throwable t) { // even Errors: a plugin's StackOverflowError or missing class must not end the request
        error = t;
        if (t instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
      long nanos = System.nanoTime() - start;
      if (error != null) {
        boolean refuse = e.enforces && e.onError == OnError.FAIL;
        log.warnFor(e.name + "/failed", "plugin '{}' failed at {}: {}; the request {}", e.name, hook.configName(),
            summary(error), refuse ? "is refused (on_error: fail)" : "goes on without it");
        notify(hook, context, e, Outcome.FAILED, false, nanos, error);
        if (refuse) {
          return new HookOutcome.Blocked(e.name, "plugin '" + e.name + "' failed", INTERNAL_ERROR);
        }
        continue;
      }
      switch (result) {
        case PluginResult.Continue c -> notify(hook, context, e, Outcome.PROCEEDED, false, nanos, null);
        case PluginResult.Modified m -> {
          current = m.payload();
          modified = true;
          notify(hook, context, e, Outcome.PROCEEDED, true, nanos, null);
        }
        case PluginResult.Block b -> {
          if (e.enforces) {
            notify(hook, context, e, Outcome.BLOCKED, false, nanos, null);
            return new HookOutcome.Blocked(e.name, b.reason(), b.code());
          }
          log.warnFor(e.name + "/would-block", "permissive plugin '{}' would block at {}: {}", e.name, hook.configName(),
              b.reason());
          notify(hook, context, e, Outcome.WOULD_BLOCK, false, nanos, null);
        }
      }
    }
    return new HookOutcome.Proceed(current, modified);
  }

  /** A result the chain cannot use, as an error; {@code null} when the result is fine. */
  private static Throwable contractBreach(Entry e, PluginResult result) {
    if (result == null) {
      return new PluginContractException("returned null instead of a PluginResult");
    }
    if (result instanceof PluginResult.Modified && !e.copies) {
      return new PluginContractException("returned a modified payload without declaring modifiesPayload()");
    }
    return null;
  }

  private void notify(Hook hook, HookContext context, Entry e, Outcome outcome, boolean modified, long nanos,
      Throwable error) {
    try {
      listener.onPluginRun(hook, context, e.name, e.priority, e.mode, outcome, modified, nanos, error);
    } catch (Throwable t) {
      log.warnFor("listener", "plugin chain listener {} failed: {}", listener.getClass().getName(), summary(t));
    }
  }

  /**
   * The type of {@code t} and where it was thrown, without its message: messages of plugin exceptions often quote
   * the payload (arguments, results), which may hold secrets.
   */
  static String summary(Throwable t) {
    if (t instanceof PluginContractException) {
      return t.getMessage();
    }
    StackTraceElement[] trace = t.getStackTrace();
    return t.getClass().getName() + (trace.length > 0 ? " at " + trace[0] : "");
  }

  private static final class Entry {
    final String name;
    final int priority;
    final Mode mode;
    final OnError onError;
    final boolean enforces;
    final boolean copies;
    final Plugin plugin;

    Entry(ConfiguredPlugin p) {
      this.name = p.config().name();
      this.priority = p.config().priority();
      this.mode = p.config().mode();
      this.onError = p.config().onError();
      this.enforces = mode == Mode.ENFORCE;
      this.copies = p.plugin().modifiesPayload();
      this.plugin = p.plugin();
    }
  }
}
