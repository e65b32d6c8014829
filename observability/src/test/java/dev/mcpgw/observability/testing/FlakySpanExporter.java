package dev.mcpgw.observability.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend stand-in whose health the test switches: accepting (records each batch), failing (a failed result),
 * throwing, or holding (a result that stays open until {@link #release()} accepts every held batch). Counts every
 * call.
 */
public final class FlakySpanExporter implements SpanExporter {

  public enum Mode { ACCEPT, FAIL, THROW, HOLD }

  private volatile Mode mode = Mode.ACCEPT;
  private final List<List<SpanData>> batches = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger shutdowns = new AtomicInteger();
  private final List<Held> held = new CopyOnWriteArrayList<>();

  private record Held(List<SpanData> spans, CompletableResultCode result) { }

  public FlakySpanExporter accept() {
    mode = Mode.ACCEPT;
    return this;
  }

  public FlakySpanExporter fail() {
    mode = Mode.FAIL;
    return this;
  }

  /** From now on results stay open, the batches not yet taken, until {@link #release()}. */
  public FlakySpanExporter hold() {
    mode = Mode.HOLD;
    return this;
  }

  /** Accepts every held batch (in the order they came) and completes their results; the mode becomes accepting. */
  public FlakySpanExporter release() {
    mode = Mode.ACCEPT;
    for (Held h : held) {
      held.remove(h);
      batches.add(h.spans());
      h.result().succeed();
    }
    return this;
  }

  /** Exports whose results are held open. */
  public int held() {
    return held.size();
  }

  public FlakySpanExporter throwing() {
    mode = Mode.THROW;
    return this;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    calls.incrementAndGet();
    return switch (mode) {
      case ACCEPT -> {
        batches.add(List.copyOf(spans));
        yield CompletableResultCode.ofSuccess();
      }
      case FAIL -> CompletableResultCode.ofExceptionalFailure(new java.net.ConnectException("backend down"));
      case THROW -> throw new IllegalStateException("backend exploded");
      case HOLD -> {
        Held h = new Held(List.copyOf(spans), new CompletableResultCode());
        held.add(h);
        yield h.result();
      }
    };
  }

  /** Batches accepted, in arrival order. */
  public List<List<SpanData>> batches() {
    return List.copyOf(batches);
  }

  /** All accepted spans, in arrival order. */
  public List<SpanData> spans() {
    List<SpanData> all = new ArrayList<>();
    batches.forEach(all::addAll);
    return all;
  }

  /** Export calls, accepted or not. */
  public int calls() {
    return calls.get();
  }

  public int shutdowns() {
    return shutdowns.get();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdowns.incrementAndGet();
    return CompletableResultCode.ofSuccess();
  }
}
