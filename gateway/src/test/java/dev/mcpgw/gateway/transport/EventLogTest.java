package dev.mcpgw.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventLogTest {

  @Test
  void numbersEventsFromOneAndReplaysThoseAfterAnId() {
    EventLog log = new EventLog(10);
    assertThat(log.last()).isZero();

    assertThat(log.append("a")).isEqualTo(1);
    assertThat(log.append("b")).isEqualTo(2);
    assertThat(log.append("c")).isEqualTo(3);

    assertThat(log.after(1)).extracting(EventLog.Event::data).containsExactly("b", "c");
    assertThat(log.after(0)).extracting(EventLog.Event::seq).containsExactly(1L, 2L, 3L);
    assertThat(log.after(3)).isEmpty();
    assertThat(log.after(99)).isEmpty();
    assertThat(log.covers(0)).isTrue();
  }

  @Test
  void keepsOnlyTheNewestEventsAndCountsWhatItDropped() {
    EventLog log = new EventLog(3);
    for (int i = 1; i <= 7; i++) {
      log.append("e" + i);
    }

    assertThat(log.size()).isEqualTo(3);
    assertThat(log.dropped()).isEqualTo(4);
    assertThat(log.after(0)).extracting(EventLog.Event::data).containsExactly("e5", "e6", "e7");
    // a client that saw e4 missed nothing that was dropped; one that saw e2 did
    assertThat(log.covers(4)).isTrue();
    assertThat(log.covers(2)).isFalse();
  }

  @Test
  void aCapacityBelowOneIsRefusedNamingIt() {
    assertThatThrownBy(() -> new EventLog(0)).hasMessageContaining("capacity");
  }
}
