package dev.mcpgw.gateway.mcp;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread's wait for an upstream answer that also checks, every probe interval, that its client is still there and
 * gives up at a deadline. The waiting thread parks without a timeout; one daemon thread ticking every {@link #TICK}
 * wakes the waiters that have a probe or a deadline due. On virtual threads a timed park schedules and cancels a timer
 * task per wait, which on a busy gateway woke the JDK's timer thread once per call: about a tenth of the gateway's CPU
 * per {@code tools/call} (docs/performance.md). Probes and deadlines are therefore late by up to one tick.
 */
final class AnswerWait {
  static final Duration TICK = Duration.ofMillis(50);
  private static final Set<AnswerWait> WAITING = ConcurrentHashMap.newKeySet();
  private static final Thread CLOCK = Thread.ofPlatform().daemon().name("mcpgw-answer-wait-clock")
      .unstarted(AnswerWait::tick);

  static {
    CLOCK.start();
  }

  private final Thread thread = Thread.currentThread();
  private final long deadline;
  private volatile long nextProbe;

  private AnswerWait(long deadline, long nextProbe) {
    this.deadline = deadline;
    this.nextProbe = nextProbe;
  }

  /**
   * Waits for {@code answer} until {@code deadlineNanos} ({@link System#nanoTime()}), probing {@code client} every
   * {@code probeEvery}; a client that went away cancels {@code answer}.
   *
   * @throws TimeoutException at the deadline ({@code answer} is left to the caller)
   * @throws CancellationException when the client went away, or {@code answer} was cancelled
   * @throws ExecutionException when {@code answer} failed
   */
  static <T> T await(CompletableFuture<T> answer, long deadlineNanos, Duration probeEvery, Downstream client)
      throws ExecutionException, TimeoutException, InterruptedException {
    if (!answer.isDone()) {
      long probeNanos = probeEvery.toNanos();
      AnswerWait wait = new AnswerWait(deadlineNanos, System.nanoTime() + probeNanos);
      answer.whenComplete((r, e) -> LockSupport.unpark(wait.thread));
      WAITING.add(wait);
      try {
        while (!answer.isDone()) {
          long now = System.nanoTime();
          if (now - deadlineNanos >= 0) {
            throw new TimeoutException();
          }
          if (now - wait.nextProbe >= 0) {
            wait.nextProbe = now + probeNanos;
            if (!client.probe()) {
              answer.cancel(true);
              throw new CancellationException("the client went away");
            }
          }
          LockSupport.park(wait);
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
        }
      } finally {
        WAITING.remove(wait);
      }
    }
    return answer.get();
  }

  /** How many threads wait right now (0 when idle). */
  static int waiting() {
    return WAITING.size();
  }

  private static void tick() {
    while (true) {
      LockSupport.parkNanos(TICK.toNanos());
      long now = System.nanoTime();
      for (AnswerWait wait : WAITING) {
        if (now - wait.nextProbe >= 0 || now - wait.deadline >= 0) {
          LockSupport.unpark(wait.thread);
        }
      }
    }
  }
}
