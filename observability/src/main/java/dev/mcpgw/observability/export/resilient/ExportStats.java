package dev.mcpgw.observability.export.resilient;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Span counts of one resilient exporter: plain atomic counters on the export path, read by observable instruments
 * when metrics are collected and by the summary line. Nothing here allocates per span.
 */
final class ExportStats {

  /** Why spans were dropped; the attribute value of {@code reason} on the dropped counter. */
  enum DropReason {
    /** The disk buffer held {@code max_disk_bytes}: the newest batch is refused. */
    BUFFER_FULL("buffer_full"),
    /** The disk buffer could not write (I/O error, or no buffer directory could be created). */
    WRITE_ERROR("write_error"),
    /** A replayed batch kept failing while live exports succeeded: the backend rejects it. */
    REJECTED("rejected"),
    /** Export asked after shutdown. */
    SHUTDOWN("shutdown");

    final String value;

    DropReason(String value) {
      this.value = value;
    }
  }

  static final AttributeKey<String> EXPORTER = AttributeKey.stringKey("exporter");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  final AtomicLong exported = new AtomicLong();
  final AtomicLong buffered = new AtomicLong();
  final AtomicLong replayed = new AtomicLong();
  final AtomicLong failedAttempts = new AtomicLong();
  private final Map<DropReason, AtomicLong> dropped = new EnumMap<>(DropReason.class);

  ExportStats() {
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, new AtomicLong());
    }
  }

  void dropped(DropReason reason, long spans) {
    dropped.get(reason).addAndGet(spans);
  }

  long dropped(DropReason reason) {
    return dropped.get(reason).get();
  }

  long droppedTotal() {
    long sum = 0;
    for (AtomicLong count : dropped.values()) {
      sum += count.get();
    }
    return sum;
  }

  /**
   * Registers the observable instruments. Called once, lazily: the meter provider usually exists only after the
   * exporters are built.
   */
  void register(Meter meter, String exporterName, LongSupplier bufferBytes, LongSupplier breakerState) {
    Attributes base = Attributes.of(EXPORTER, exporterName);
    counter(meter, "mcpgw.export.spans.exported", "Spans the backend accepted on the first attempt", exported, base);
    counter(meter, "mcpgw.export.spans.buffered", "Spans written to the disk buffer while the backend failed",
        buffered, base);
    counter(meter, "mcpgw.export.spans.replayed", "Spans replayed from the disk buffer and accepted", replayed, base);
    meter.counterBuilder("mcpgw.export.spans.dropped").setUnit("{span}")
        .setDescription("Spans lost by resilient export, by reason")
        .buildWithCallback(m -> dropped.forEach((reason, count) ->
            m.record(count.get(), base.toBuilder().put(REASON, reason.value).build())));
    meter.upDownCounterBuilder("mcpgw.export.buffer.usage").setUnit("By")
        .setDescription("Bytes held by the disk buffer")
        .buildWithCallback(m -> m.record(bufferBytes.getAsLong(), base));
    meter.gaugeBuilder("mcpgw.export.circuit.state").ofLongs()
        .setDescription("Circuit breaker state: 0 closed, 1 half-open, 2 open")
        .buildWithCallback(m -> m.record(breakerState.getAsLong(), base));
  }

  private static void counter(Meter meter, String name, String description, AtomicLong count, Attributes base) {
    meter.counterBuilder(name).setUnit("{span}").setDescription(description)
        .buildWithCallback(m -> m.record(count.get(), base));
  }
}
