package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.usage.Accounted;
import dev.mcpgw.gateway.usage.Pricing;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import io.opentelemetry.api.common.AttributeKey;
import dev.mcpgw.observability.logging.ThrottledLogger;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.sdk.common.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Puts the token counts of a tool call ({@code mcpgw.tool.arguments.tokens}, {@code mcpgw.tool.result.tokens}, and the
 * encoding they were estimated with) on its MCP SERVER span, off the request's critical path: the response goes to
 * the client while one background thread counts, sets the attributes and ends the span with the time the call really
 * ended. The queue is bounded; when it is full the span ends at once without counts, and the drop is counted. Only
 * recording spans are counted.
 */
final class ToolCallTokens {
  static final int QUEUE_CAPACITY = 4096;
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(ToolCallTokens.class));

  /** The attributed cost of a tool call (the pricing file's currency). */
  static final AttributeKey<Double> USAGE_COST = AttributeKey.doubleKey("mcpgw.usage.cost");
  static final AttributeKey<String> USAGE_CURRENCY = AttributeKey.stringKey("mcpgw.usage.currency");

  private final TokenCounter counter;
  private final Pricing pricing;
  private final ThreadPoolExecutor worker;
  private final AtomicLong dropped = new AtomicLong();

  ToolCallTokens(TokenCounter counter) {
    this(counter, Pricing.NONE);
  }

  ToolCallTokens(TokenCounter counter, Pricing pricing) {
    this.counter = counter;
    this.pricing = pricing;
    this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
        r -> {
          Thread t = new Thread(r, "mcpgw-token-count");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Counts {@code arguments} and {@code result} (either may be null) on {@code span}, then ends it. Never throws. */
  void countThenEnd(Span span, JsonNode arguments, JsonNode result) {
    countThenEnd(span, arguments, result, null, null);
  }

  /**
   * As {@link #countThenEnd(Span, JsonNode, JsonNode)}, and with a pricing file the call's cost as a turn of the model
   * {@code requestedModel} names (else {@code tenant}'s default, else the file's): {@code mcpgw.usage.cost}.
   */
  void countThenEnd(Span span, JsonNode arguments, JsonNode result, String tenant, String requestedModel) {
    long end = Clock.getDefault().now();
    if (!span.isRecording()) {
      span.end(end, TimeUnit.NANOSECONDS);
      return;
    }
    try {
      worker.execute(() -> count(span, arguments, result, end, tenant, requestedModel));
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
      LOG.warn("token counting is behind ({} tool calls queued); {} call(s) so far traced without token counts",
          QUEUE_CAPACITY, dropped.get());
      span.end(end, TimeUnit.NANOSECONDS);
    }
  }

  private void count(Span span, JsonNode arguments, JsonNode result, long end, String tenant, String requestedModel) {
    try {
      span.setAttribute(GatewayAttributes.TOOL_TOKENS_ENCODING, counter.encoding());
      long args = counter.arguments(arguments);
      span.setAttribute(GatewayAttributes.TOOL_ARGUMENTS_TOKENS, args);
      long res = 0;
      if (result != null) {
        res = counter.result(result);
        span.setAttribute(GatewayAttributes.TOOL_RESULT_TOKENS, res);
      }
      if (pricing != Pricing.NONE) {
        String model = pricing.model(tenant, requestedModel);
        span.setAttribute(GenAiAttributes.GEN_AI_REQUEST_MODEL, model);
        span.setAttribute(USAGE_COST, pricing.toolCallCost(model, args, res));
        span.setAttribute(USAGE_CURRENCY, pricing.currency());
      }
    } catch (RuntimeException e) {
      LOG.warn("could not count the tokens of a tool call: {}", e.getClass().getSimpleName());
    } finally {
      span.end(end, TimeUnit.NANOSECONDS);
    }
  }

  /** Where a tool call's span waits for the usage store's counts of the same call (no second count). */
  static final ContextKey<Shared> SHARED = ContextKey.named("mcpgw.tool-call.shared-counts");

  /** A recording tool call span's hand-over point, put into its context; {@code null} for a non-recording span. */
  Shared share(Span span) {
    return span.isRecording() ? new Shared(span) : null;
  }

  /**
   * Called by the usage store on the request thread: the current tool call span's hand-over point, now committed to
   * take its counts from the store, or {@code null} (no recording span, or no hand-over point).
   */
  static java.util.function.Consumer<Accounted> attachCurrent() {
    Shared shared = Context.current().get(SHARED);
    if (shared == null) {
      return null;
    }
    shared.attached = true;
    return shared;
  }

  /**
   * A tool call span that ends once both its call ended (on the request thread) and the usage store accounted it (on
   * the accounting thread), whichever comes last, with the store's counts; without counts when the store dropped
   * the call.
   */
  final class Shared implements java.util.function.Consumer<Accounted> {
    private final Span span;
    /** Set on the request thread inside the dispatch, read on it after: the store took the call. */
    private boolean attached;
    private long end = -1;
    private boolean accounted;
    private Accounted counts;
    private boolean ended;

    private Shared(Span span) {
      this.span = span;
    }

    boolean attached() {
      return attached;
    }

    @Override
    public void accept(Accounted a) {
      synchronized (this) {
        accounted = true;
        counts = a;
      }
      endIfDone();
    }

    void endAt(long endNanos) {
      synchronized (this) {
        end = endNanos;
      }
      endIfDone();
    }

    private void endIfDone() {
      Accounted a;
      long at;
      synchronized (this) {
        if (ended || !accounted || end < 0) {
          return;
        }
        ended = true;
        a = counts;
        at = end;
      }
      try {
        if (a != null) {
          span.setAttribute(GatewayAttributes.TOOL_TOKENS_ENCODING, counter.encoding());
          span.setAttribute(GatewayAttributes.TOOL_ARGUMENTS_TOKENS, a.argumentsTokens());
          if (a.answered()) {
            span.setAttribute(GatewayAttributes.TOOL_RESULT_TOKENS, a.resultTokens());
          }
          if (pricing != Pricing.NONE) {
            span.setAttribute(GenAiAttributes.GEN_AI_REQUEST_MODEL, a.model());
            span.setAttribute(USAGE_COST, a.cost());
            span.setAttribute(USAGE_CURRENCY, pricing.currency());
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("could not put the usage store's counts on a tool call span: {}", e.getClass().getSimpleName());
      } finally {
        span.end(at, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Ends {@code shared}'s span once the usage store has accounted its call (at once if it already has). */
  void endWhenAccounted(Shared shared) {
    shared.endAt(Clock.getDefault().now());
  }

  /** Calls traced without counts because the queue was full. */
  long dropped() {
    return dropped.get();
  }
}
