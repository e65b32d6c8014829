package dev.mcpgw.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ids the gateway gives requests that bring none: version 7 UUIDs, which sort by the time they were made. */
class RequestIdFilterTest {
  @Test
  void aNewIdIsAVersion7UuidOfTheStandardVariantAndCarriesTheTime() {
    long before = System.currentTimeMillis();
    UUID id = UUID.fromString(RequestIdFilter.newId());
    long after = System.currentTimeMillis();
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
  }

  @Test
  void anIdMadeInALaterMillisecondSortsAfterAsText() {
    String first = RequestIdFilter.newId();
    long millis = System.currentTimeMillis();
    while (System.currentTimeMillis() == millis) {
      Thread.onSpinWait();
    }
    String later = RequestIdFilter.newId();
    assertThat(later).isGreaterThan(first);
  }

  @Test
  void idsMadeInTheSameMillisecondStillDiffer() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(RequestIdFilter.newId());
    }
    assertThat(ids).hasSize(100_000);
  }
}
