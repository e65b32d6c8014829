package dev.mcpgw.observability;

import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Trace ids that begin with the time they were made (ADR 0033): the first 32 bits are the Unix time in seconds, the
 * other 96 bits are random (the layout of AWS X-Ray's ids, which W3C Trace Context accepts as any other). A store that
 * indexes traces by id then adds new ids near the end of its index instead of on a random page, as the request ids of
 * ADR 0032 do. The low 64 bits, which the ratio sampler reads and which W3C Trace Context level 2 requires to be random
 * in their last 56, stay random, so sampling and the {@code random} trace flag are unchanged. Span ids stay random.
 */
final class TimeOrderedIds implements IdGenerator {
  static final TimeOrderedIds INSTANCE = new TimeOrderedIds(() -> System.currentTimeMillis() / 1000);

  private final LongSupplier seconds;

  TimeOrderedIds(LongSupplier seconds) {
    this.seconds = seconds;
  }

  @Override
  public String generateTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    // the time is never 0, so the id is never the invalid all-zero id whatever the random bits are
    long high = (seconds.getAsLong() << 32) | (random.nextInt() & 0xFFFF_FFFFL);
    return TraceId.fromLongs(high, random.nextLong());
  }

  @Override
  public String generateSpanId() {
    return IdGenerator.random().generateSpanId();
  }

  @Override
  public boolean generatesRandomTraceIds() {
    return true;
  }
}
