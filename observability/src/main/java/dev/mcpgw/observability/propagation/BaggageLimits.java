package dev.mcpgw.observability.propagation;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the baggage a request passes on within what every W3C Baggage receiver must accept: at most
 * {@value #MAX_MEMBERS} list-members and a {@code baggage} string of at most {@value #MAX_BYTES} bytes. Members beyond
 * either limit are dropped in the order the baggage lists them (and counted), rather than sending a header that the
 * next hop may reject whole. Nothing here throws: an odd baggage passes unchanged.
 */
public final class BaggageLimits {

  /** The list-members every W3C Baggage platform must propagate. */
  public static final int MAX_MEMBERS = 64;
  /** The size of the baggage string every W3C Baggage platform must propagate. */
  public static final int MAX_BYTES = 8192;

  private static final LongAdder DROPPED = new LongAdder();

  private BaggageLimits() {}

  /** {@code context} with its baggage cut to the limits; the same object when it is within them (the usual case). */
  public static Context limit(Context context) {
    try {
      Baggage baggage = Baggage.fromContextOrNull(context);
      if (baggage == null || baggage.isEmpty()) {
        return context;
      }
      int[] members = {0};
      int[] bytes = {0};
      boolean[] over = {false};
      BaggageBuilder kept = Baggage.builder();
      baggage.forEach((key, entry) -> {
        int size = key.length() + 1 + encodedLength(entry.getValue())
            + (entry.getMetadata().getValue().isEmpty() ? 0 : 1 + entry.getMetadata().getValue().length())
            + (members[0] == 0 ? 0 : 1);
        if (members[0] + 1 > MAX_MEMBERS || bytes[0] + size > MAX_BYTES) {
          over[0] = true;
          DROPPED.increment();
          return;
        }
        members[0]++;
        bytes[0] += size;
        kept.put(key, entry.getValue(), entry.getMetadata());
      });
      return over[0] ? context.with(kept.build()) : context;
    } catch (RuntimeException e) {
      return context;
    }
  }

  /** The value's length once percent-encoded as the W3C propagator writes it (octets outside baggage-octet take 3). */
  private static int encodedLength(String value) {
    int n = 0;
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain = c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B)
          || (c >= 0x5D && c <= 0x7E);
      n += plain ? 1 : 3;
    }
    return n;
  }

  /** Baggage members dropped so far in this process. */
  public static long dropped() {
    return DROPPED.sum();
  }
}
