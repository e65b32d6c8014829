package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** Hands out at most {@code chunk} bytes per read, as a network stream may. */
  private static SseReader trickling(String stream, int chunk) {
    return new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    });
  }

  @Test
  void everyLineEndTheFormatAllowsEndsALineEvenWhenCrAndLfArriveInSeparateReads() throws IOException {
    String stream = "data: a\r\n\r\ndata: b\r\rdata: c\n\nid: 9\rdata: d\r\n\r\n";
    for (int chunk : new int[] {1, 2, 3, 1024}) {
      SseReader r = trickling(stream, chunk);

      assertThat(r.next().data()).as("chunk %d", chunk).isEqualTo("a");
      assertThat(r.next().data()).as("chunk %d", chunk).isEqualTo("b");
      assertThat(r.next().data()).as("chunk %d", chunk).isEqualTo("c");
      assertThat(r.next()).as("chunk %d", chunk).isEqualTo(new SseReader.Event("message", "d", "9"));
      assertThat(r.next()).as("chunk %d", chunk).isNull();
    }
  }

  @Test
  void aLineLongerThanTheBufferWithMultiByteCharactersSplitAcrossReadsArrivesWhole() throws IOException {
    String text = "\u00e9\u4e2d\ud83d\ude00".repeat(2000); // 2, 3 and 4 bytes in UTF-8: 18,000 bytes in all
    String stream = "data: {\"text\":\"" + text + "\"}\n\n";
    for (int chunk : new int[] {1, 7, 4096}) {
      SseReader r = trickling(stream, chunk);

      assertThat(r.next().data()).as("chunk %d", chunk).isEqualTo("{\"text\":\"" + text + "\"}");
      assertThat(r.next()).isNull();
    }
  }

  /** An endless stream repeating {@code pattern}: what a hostile or broken upstream can send. */
  private static java.io.InputStream endless(String pattern) {
    byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
    return new java.io.InputStream() {
      private long at;

      @Override
      public int read() {
        return p[(int) (at++ % p.length)];
      }

      @Override
      public int read(byte[] b, int off, int len) {
        for (int k = 0; k < len; k++) {
          b[off + k] = p[(int) (at++ % p.length)];
        }
        return len;
      }
    };
  }

  @Test
  void anEndlessLineFailsTheStreamAtTheBoundInsteadOfFillingTheHeap() {
    SseReader r = new SseReader(endless("a"));

    assertThatThrownBy(r::next).isInstanceOf(IOException.class)
        .hasMessageContaining("a line of the stream exceeds " + SseReader.MAX_EVENT);
  }

  @Test
  void anEndlessEventOfShortDataLinesFailsTheStreamAtTheBound() {
    SseReader r = new SseReader(endless("data: " + "x".repeat(1000) + "\n"));

    assertThatThrownBy(r::next).isInstanceOf(IOException.class)
        .hasMessageContaining("an event of the stream exceeds " + SseReader.MAX_EVENT);
  }
}
