package dev.mcpgw.observability.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.observability.internal.propagation.Propagators;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaggageLimitsTest {

  private static Context with(Baggage baggage) {
    return Context.root().with(baggage);
  }

  private static String header(Context context) {
    Map<String, String> headers = new HashMap<>();
    Propagators.create(List.of("baggage")).inject(context, headers, Map::put);
    return headers.getOrDefault("baggage", "");
  }

  @Test
  void baggageWithinTheLimitsPassesAsItIs() {
    Context context = with(Baggage.builder().put("tenant", "acme").put("user", "alice").build());

    assertThat(BaggageLimits.limit(context)).isSameAs(context);
  }

  @Test
  void membersBeyondSixtyFourAreDropped() {
    BaggageBuilder b = Baggage.builder();
    for (int i = 0; i < 100; i++) {
      b.put("k" + i, "v");
    }
    Context limited = BaggageLimits.limit(with(b.build()));

    assertThat(Baggage.fromContext(limited).size()).isEqualTo(BaggageLimits.MAX_MEMBERS);
  }

  @Test
  void theBaggageStringStaysWithinEightKilobytesOnceEncoded() {
    BaggageBuilder b = Baggage.builder();
    for (int i = 0; i < 10; i++) {
      b.put("key" + i, "é ".repeat(300)); // each character pair encodes to 9 bytes: 2700 bytes a member
    }
    long before = BaggageLimits.dropped();
    Context limited = BaggageLimits.limit(with(b.build()));

    assertThat(header(limited).length()).isLessThanOrEqualTo(BaggageLimits.MAX_BYTES);
    assertThat(Baggage.fromContext(limited).size()).isEqualTo(3);
    assertThat(BaggageLimits.dropped() - before).isEqualTo(7);
  }

  @Test
  void aContextWithoutBaggageIsReturnedAsItIs() {
    assertThat(BaggageLimits.limit(Context.root())).isSameAs(Context.root());
  }
}
