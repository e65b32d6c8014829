package dev.mcpgw.gateway.spanstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
  private static SpanRow row(String id, String parent, String name, String attributes, String events) {
    return new SpanRow("0af7651916cd43dd8448eb211c80319c", id, parent, parent == null, name, "SERVER", 1_000L, 20L,
        "error", "acme", "alice", "r-1", "demo-echo", "demo", "tools/call", "mcpgw", attributes, events);
  }

  @Test
  void theSpansOfAChunkComeBackAsTheyWentInWithTheChunksTraceAndTenant() {
    List<SpanRow> rows = List.of(
        row("00f067aa0ba902b7", null, "POST /mcp \"quoted\" \\ \u2603 \n\t\u0001", "{\"a\":\"x\\\"}y\",\"n\":[1,2.5,true,null]}",
            "[{\"name\":\"e\",\"timeNs\":5,\"attributes\":{\"k\":\"<img src=x>\"}}]"),
        new SpanRow("0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b8", "00f067aa0ba902b7", false, "child",
            "INTERNAL", 2_000L, 0L, "ok", "acme", null, null, null, null, null, null, "{}", "[]"));

    String text = new ChunkCodec().encode(rows);

    assertThat(ChunkCodec.decode("0af7651916cd43dd8448eb211c80319c", "acme", text))
        .isEqualTo(rows.stream().map(ChunkCodecTest::asStored).toList());
  }

  @Test
  void whatTheTracesLineHoldsIsNotWrittenAgainIntoTheChunk() {
    String text = new ChunkCodec().encode(List.of(row("00f067aa0ba902b7", null, "POST /mcp", "{}", "[]")));

    assertThat(text).doesNotContain("alice", "r-1", "demo-echo\"", "\"demo\"", "tools/call\"")
        .contains("mcpgw", "POST /mcp");
  }

  @Test
  void aChunkWrittenBeforeStillDecodesWithItsService() {
    // the V6/V7 layout: user, request id, tool, upstream and method between status and service
    String old = "[[\"00f067aa0ba902b7\",null,\"POST /mcp\",\"SERVER\",1000,20,\"ok\",\"alice\",\"r-1\",\"demo-echo\","
        + "null,\"tools/call\",\"mcpgw\",{\"a\":{\"b\":1}},[{\"name\":\"e\"}]]]";

    assertThat(ChunkCodec.decode("0af7651916cd43dd8448eb211c80319c", "acme", old)).containsExactly(
        new SpanRow("0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", null, true, "POST /mcp", "SERVER", 1000L,
            20L, "ok", "acme", null, null, null, null, null, "mcpgw", "{\"a\":{\"b\":1}}", "[{\"name\":\"e\"}]"));
  }

  /** A row as a chunk gives it back: what the trace's line and request ids hold is not in the chunk. */
  private static SpanRow asStored(SpanRow r) {
    return new SpanRow(r.traceId(), r.spanId(), r.parentSpanId(), r.localRoot(), r.name(), r.kind(), r.startNs(),
        r.durationNs(), r.status(), r.tenantId(), null, null, null, null, null, r.service(), r.attributes(), r.events());
  }

  @Test
  void oneCodecEncodesChunkAfterChunkWithoutCarryingAnythingOver() {
    ChunkCodec codec = new ChunkCodec();
    codec.encode(List.of(row("00f067aa0ba902b7", null, "first", "{\"big\":\"" + "x".repeat(5000) + "\"}", "[]")));
    SpanRow small = row("00f067aa0ba902b9", null, "second", "{}", "[]");

    assertThat(ChunkCodec.decode(small.traceId(), "acme", codec.encode(List.of(small)))).containsExactly(asStored(small));
  }
}
