package dev.mcpgw.gateway.transport.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static SseReader reader(String stream) {
    return new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsNamedEventsWithIdsAndJoinsMultiLineData() throws IOException {
    SseReader r = reader(": keep-alive\r\nevent: endpoint\r\ndata: /message?sessionId=1\r\n\r\n"
        + "id: 7\ndata: {\"a\":\ndata: 1}\n\n");

    SseReader.Event first = r.next();
    SseReader.Event second = r.next();

    assertThat(first).isEqualTo(new SseReader.Event("endpoint", "/message?sessionId=1", null));
    assertThat(second).isEqualTo(new SseReader.Event("message", "{\"a\":\n1}", "7"));
    assertThat(r.next()).isNull();
  }

  @Test
  void remembersTheLastIdAndTheRetryDelayEvenOfEventsWithoutData() throws IOException {
    SseReader r = reader("id: prime-1\nretry: 2500\ndata:\n\nid: 2\nretry: soon\nevent: ping\n\n");

    SseReader.Event priming = r.next();
    SseReader.Event end = r.next();

    assertThat(priming.data()).isEmpty();
    assertThat(end).isNull();
    assertThat(r.lastEventId()).isEqualTo("2");
    assertThat(r.retryMillis()).isEqualTo(2500L);
  }

  @Test
  void anEventCutOffBeforeItsBlankLineIsNotDispatched() throws IOException {
    assertThat(reader("data: {\"partial\":true}\n").next()).isNull();
  }
}
