package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DrainingStreamsTest {
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static final class Tracked extends ByteArrayInputStream {
    final AtomicBoolean closed = new AtomicBoolean();
    private final boolean failOnClose;

    Tracked(boolean failOnClose) {
      super(new byte[0]);
      this.failOnClose = failOnClose;
    }

    @Override
    public void close() throws IOException {
      closed.set(true);
      if (failOnClose) {
        throw new IllegalStateException("close failed");
      }
    }
  }

  private DrainingStreams draining() {
    return DrainingStreams.start(timer, Duration.ofMillis(20));
  }

  private static void awaitClosed(Tracked stream) {
    await().atMost(Duration.ofSeconds(5)).until(stream.closed::get);
  }

  @Test
  void aStreamStillOpenAfterTheGracePeriodIsCut() {
    DrainingStreams draining = draining();
    Tracked stream = new Tracked(false);

    draining.drain(stream);

    awaitClosed(stream);
    assertThat(draining.size()).isZero();
  }

  @Test
  void aStreamThatEndedByItselfIsForgottenAndNotCut() {
    DrainingStreams draining = draining();
    Tracked ended = new Tracked(false);
    Tracked open = new Tracked(false);

    draining.drain(ended);
    draining.ended(ended);
    draining.drain(open);

    awaitClosed(open); // a sweep ran after ended() ...
    assertThat(ended.closed).isFalse(); // ... and left the ended stream to its reader
    assertThat(draining.size()).isZero();
  }

  @Test
  void aStreamWhoseCloseThrowsDoesNotStopLaterSweeps() {
    DrainingStreams draining = draining();
    Tracked failing = new Tracked(true);
    draining.drain(failing);
    awaitClosed(failing);

    Tracked later = new Tracked(false);
    draining.drain(later);

    awaitClosed(later);
    assertThat(draining.size()).isZero();
  }
}
