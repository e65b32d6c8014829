package dev.mcpgw.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AnswerWaitTest {
  private static final long FAR = TimeUnit.SECONDS.toNanos(30);

  private static Downstream client(AtomicBoolean there, AtomicInteger probes) {
    return new Downstream() {
      @Override
      public void send(com.fasterxml.jackson.databind.node.ObjectNode notification) {
      }

      @Override
      public boolean probe() {
        probes.incrementAndGet();
        return there.get();
      }
    };
  }

  @Test
  void returnsAnAnswerThatArrivesWhileWaitingAndLeavesNoWaiterBehind() throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      await().until(() -> AnswerWait.waiting() > 0);
      answer.complete("done");
    });

    String got = AnswerWait.await(answer, System.nanoTime() + FAR, Duration.ofSeconds(10),
        client(new AtomicBoolean(true), new AtomicInteger()));

    assertThat(got).isEqualTo("done");
    assertThat(AnswerWait.waiting()).isZero();
  }

  @Test
  void aClientThatWentAwayCancelsTheAnswer() {
    CompletableFuture<String> answer = new CompletableFuture<>();
    AtomicBoolean there = new AtomicBoolean(true);
    AtomicInteger probes = new AtomicInteger();
    Thread.ofVirtual().start(() -> {
      await().until(() -> probes.get() >= 2); // probed while there, then it leaves
      there.set(false);
    });

    assertThatThrownBy(() -> AnswerWait.await(answer, System.nanoTime() + FAR, Duration.ofMillis(20),
        client(there, probes))).isInstanceOf(CancellationException.class).hasMessageContaining("went away");
    assertThat(answer).isCancelled();
    assertThat(AnswerWait.waiting()).isZero();
  }

  @Test
  void givesUpAtTheDeadlineWithoutTouchingTheAnswer() {
    CompletableFuture<String> answer = new CompletableFuture<>();

    assertThatThrownBy(() -> AnswerWait.await(answer, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100),
        Duration.ofSeconds(10), client(new AtomicBoolean(true), new AtomicInteger())))
        .isInstanceOf(TimeoutException.class);
    assertThat(answer).isNotDone();
    assertThat(AnswerWait.waiting()).isZero();
  }

  @Test
  void aFailedAnswerThrowsItsCause() {
    CompletableFuture<String> answer = CompletableFuture.failedFuture(new IllegalStateException("upstream broke"));

    assertThatThrownBy(() -> AnswerWait.await(answer, System.nanoTime() + FAR, Duration.ofSeconds(10),
        client(new AtomicBoolean(true), new AtomicInteger())))
        .isInstanceOf(ExecutionException.class).hasRootCauseMessage("upstream broke");
  }

  @Test
  void aProbeThatThrowsReachesTheCallerAndLeavesNoWaiterBehind() {
    CompletableFuture<String> answer = new CompletableFuture<>();
    Downstream broken = new Downstream() {
      @Override
      public void send(com.fasterxml.jackson.databind.node.ObjectNode notification) {
      }

      @Override
      public boolean probe() {
        throw new IllegalStateException("stream state lost");
      }
    };

    assertThatThrownBy(() -> AnswerWait.await(answer, System.nanoTime() + FAR, Duration.ofMillis(20), broken))
        .isInstanceOf(IllegalStateException.class);
    assertThat(AnswerWait.waiting()).isZero();
  }

  @Test
  void anInterruptedWaiterStopsWaiting() throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread waiter = Thread.ofVirtual().start(() -> {
      try {
        AnswerWait.await(answer, System.nanoTime() + FAR, Duration.ofSeconds(10),
            client(new AtomicBoolean(true), new AtomicInteger()));
        outcome.complete(null);
      } catch (Exception e) {
        outcome.complete(e);
      }
    });
    await().until(() -> AnswerWait.waiting() > 0);

    waiter.interrupt();

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(AnswerWait.waiting()).isZero();
  }
}
