package dev.mcpgw.gateway.upstream;

import dev.mcpgw.observability.logging.ThrottledLogger;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Answer streams left to end by themselves after their answer arrived, so that their connection goes back to the
 * pool, and cut when still open after a grace period. One periodic sweep over all of them rather than one delayed task
 * per answer: a delayed task per call woke a timer thread per call, about a tenth of the gateway's CPU per
 * {@code tools/call} (docs/performance.md). A stream is cut between one and two grace periods after it was handed in.
 */
final class DrainingStreams {
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(DrainingStreams.class));

  private final ConcurrentMap<InputStream, Long> since = new ConcurrentHashMap<>();
  private final long graceNanos;

  private DrainingStreams(Duration grace) {
    this.graceNanos = grace.toNanos();
  }

  /** Sweeps every {@code grace} on {@code timer} (which must outlive nothing: its shutdown ends the sweeps). */
  static DrainingStreams start(ScheduledExecutorService timer, Duration grace) {
    DrainingStreams streams = new DrainingStreams(grace);
    timer.scheduleWithFixedDelay(streams::sweep, grace.toMillis(), grace.toMillis(), TimeUnit.MILLISECONDS);
    return streams;
  }

  /** {@code in} has delivered its answer; it is closed after the grace period unless {@link #ended} comes first. */
  void drain(InputStream in) {
    since.put(in, System.nanoTime());
  }

  /** {@code in} reached its end or was closed by its reader: nothing left to cut. */
  void ended(InputStream in) {
    since.remove(in);
  }

  int size() {
    return since.size();
  }

  void sweep() {
    try {
      long now = System.nanoTime();
      since.forEach((in, handedIn) -> {
        if (now - handedIn >= graceNanos && since.remove(in, handedIn)) {
          UpstreamHttp.closeQuietly(in);
        }
      });
    } catch (RuntimeException e) {
      // a periodic task that throws is never run again: keep sweeping
      LOG.warn("draining answer streams: sweep failed: {}", String.valueOf(e));
    }
  }
}
