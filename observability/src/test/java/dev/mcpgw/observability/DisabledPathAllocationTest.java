package dev.mcpgw.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The disabled module must not allocate on the request path: the helpers run the work directly and hand out
 * shared no-op objects. Measured with the JVM's per-thread allocation counter (bytes, not time).
 */
class DisabledPathAllocationTest {

  private static final Attributes ATTRIBUTES = Attributes.of(AttributeKey.stringKey("tool.name"), "echo");
  private static final Integer RESULT = 42;
  private static final Supplier<Integer> WORK = () -> RESULT;
  private static final CompletableFuture<Integer> DONE = CompletableFuture.completedFuture(RESULT);
  private static final Supplier<CompletableFuture<Integer>> ASYNC_WORK = () -> DONE;
  private static final int OPERATIONS = 200_000;

  @Test
  void helpersAllocateNothingPerCallWhenDisabled() {
    Observability obs = Observability.noop();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    long sink = run(obs, OPERATIONS); // warm-up, so class loading and JIT compilation are not counted
    long before = threads.getThreadAllocatedBytes(thread);
    sink += run(obs, OPERATIONS);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertThat(sink).isEqualTo(2L * OPERATIONS * 3 * RESULT);
    // Well under one byte per operation: the measurement itself may allocate a few bytes once.
    assertThat(allocated).isLessThan(OPERATIONS / 10);
  }

  private static long run(Observability obs, int operations) {
    long sum = 0;
    for (int i = 0; i < operations; i++) {
      sum += obs.trace("tool.invoke", ATTRIBUTES, WORK);
      try (SpanScope scope = obs.span("tool.lookup", ATTRIBUTES)) {
        obs.addEvent("tool.execution.started", ATTRIBUTES);
        obs.setAttribute("tool.id", "t-1");
        scope.span().setAttribute("user.id", "u-1");
        sum += RESULT;
      }
      sum += obs.traceAsync("tool.invoke", ATTRIBUTES, ASYNC_WORK).getNow(0);
    }
    return sum;
  }
}
