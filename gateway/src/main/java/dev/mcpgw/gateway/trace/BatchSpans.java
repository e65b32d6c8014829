package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.federation.BatchTracer;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Batch operations of the registry as one INTERNAL parent span with an INTERNAL child per upstream. The parent ends
 * when the batch was handed out and its last item finished, so its duration is the batch's, even when the items run
 * in the background after the caller returned; it counts items and failures.
 */
final class BatchSpans implements BatchTracer {
  static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("mcpgw.batch.size");
  static final AttributeKey<Long> BATCH_FAILED = AttributeKey.longKey("mcpgw.batch.failed");

  private final Tracer tracer;

  BatchSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public Batch begin(String operation) {
    Span span = tracer.spanBuilder(operation).setParent(Context.current()).startSpan();
    return new Running(tracer, span, Context.current().with(span));
  }

  private static final class Running implements Batch {
    private final Tracer tracer;
    private final Span span;
    private final Context context;
    private final Scope scope;
    // one extra count for the batch itself, released by close(): the span cannot end before every item was handed out
    private final AtomicInteger open = new AtomicInteger(1);
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    Running(Tracer tracer, Span span, Context context) {
      this.tracer = tracer;
      this.span = span;
      this.context = context;
      this.scope = context.makeCurrent();
    }

    @Override
    public Runnable item(String operation, String gatewayId, String gatewayName, BooleanSupplier work) {
      items.incrementAndGet();
      open.incrementAndGet();
      return () -> {
        Span child = tracer.spanBuilder(operation).setParent(context)
            .setAttribute(GatewayAttributes.GATEWAY_ID, gatewayId)
            .setAttribute(GatewayAttributes.GATEWAY_NAME, gatewayName)
            .startSpan();
        boolean ok = false;
        try (Scope ignored = child.makeCurrent()) {
          ok = work.getAsBoolean();
        } catch (RuntimeException | Error e) {
          child.recordException(e);
          throw e;
        } finally {
          if (!ok) {
            failed.incrementAndGet();
            child.setStatus(StatusCode.ERROR, "upstream '" + gatewayName + "' failed");
          }
          child.end();
          release();
        }
      };
    }

    @Override
    public void close() {
      try {
        scope.close();
      } finally {
        release();
      }
    }

    private void release() {
      if (open.decrementAndGet() == 0) {
        span.setAttribute(BATCH_SIZE, items.get());
        span.setAttribute(BATCH_FAILED, failed.get());
        if (failed.get() > 0) {
          span.setStatus(StatusCode.ERROR, failed.get() + " of " + items.get() + " failed");
        }
        span.end();
      }
    }
  }
}
