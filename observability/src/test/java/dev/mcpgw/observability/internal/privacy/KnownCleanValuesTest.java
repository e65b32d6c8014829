package dev.mcpgw.observability.internal.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.observability.config.ObservabilityConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class KnownCleanValuesTest {

  private final KnownCleanValues known = new KnownCleanValues();

  @Test
  void anAddedValueIsKnownByContentNotByInstance() {
    known.add("tools/call echo");

    assertThat(known.contains(new String("tools/call echo".toCharArray()))).isTrue();
    assertThat(known.contains("tools/call echo2")).isFalse();
  }

  @Test
  void aValueLongerThanTheLimitIsNeverRemembered() {
    String longValue = "x".repeat(KnownCleanValues.MAX_LENGTH + 1);
    known.add(longValue);

    assertThat(known.contains(longValue)).isFalse();
  }

  @Test
  void aValueThatSharesASlotReplacesTheOlderOne() {
    // "Aa" and "BB" have the same String hash, so they share a slot
    known.add("Aa");
    known.add("BB");

    assertThat(known.contains("BB")).isTrue();
    assertThat(known.contains("Aa")).isFalse();
  }

  @Test
  void theSanitiserMasksADirtyValueEveryTimeAndKeepsACleanOneAsIs() {
    Sanitizer sanitizer = Sanitizer.create(ObservabilityConfig.defaults().privacy());
    String clean = "everything-echo";
    String dirty = "mail jane@example.com";

    for (int i = 0; i < 3; i++) {
      assertThat(sanitizer.sanitize(clean)).isSameAs(clean);
      assertThat(sanitizer.sanitize(new String(dirty.toCharArray()))).doesNotContain("jane@example.com");
    }
  }

  @Test
  void threadsSharingOneSanitiserNeverGetADirtyValueBackUnmasked() throws Exception {
    Sanitizer sanitizer = Sanitizer.create(ObservabilityConfig.defaults().privacy());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<int[]>> outcomes = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        outcomes.add(pool.submit(() -> {
          int leaked = 0;
          int cleanChanged = 0;
          for (int i = 0; i < 20_000; i++) {
            // many distinct values, so that slots are replaced while other threads read them
            String clean = "tool-" + (i % 3000);
            String dirty = "user" + (i % 3000) + "@example.com";
            if (sanitizer.sanitize(clean) != clean) {
              cleanChanged++;
            }
            if (sanitizer.sanitize(dirty).contains("@example.com")) {
              leaked++;
            }
          }
          return new int[] {leaked, cleanChanged};
        }));
      }
      for (Future<int[]> outcome : outcomes) {
        assertThat(outcome.get()).containsExactly(0, 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
