package dev.mcpgw.gateway.spanstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.EventData;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private static FinishedSpan span(ChunkCodec codec, String id, String parent, String name, Attributes attributes,
      List<EventData> events) {
    String element = codec.element(id, parent, name, "SERVER", 1_000L, 20L, "error", "mcpgw", attributes, events);
    return new FinishedSpan(TRACE, id, parent, parent == null, name, "SERVER", 1_000L, 20L, true, "acme", "alice",
        "r-1", "demo-echo", "demo", "tools/call", element);
  }

  @Test
  void theSpansOfAChunkComeBackAsTheyWentInWithTheChunksTraceAndTenant() throws Exception {
    ChunkCodec codec = new ChunkCodec();
    String name = "POST /mcp \"quoted\" \\ \u2603 \n\t\u0001";
    Attributes attributes = Attributes.builder().put("a", "x\"}y").put("mcp.method.name", "tools/call")
        .put(AttributeKey.longArrayKey("n"), List.of(1L, 2L)).put("~mine", "tilde").put("~", true).build();
    List<EventData> events = List.of(EventData.create(1_005L, "e", Attributes.of(AttributeKey.stringKey("k"),
        "<img src=x>")));
    List<FinishedSpan> spans = List.of(span(codec, "00f067aa0ba902b7", null, name, attributes, events),
        span(codec, "00f067aa0ba902b8", "00f067aa0ba902b7", "child", Attributes.empty(), List.of()));

    List<SpanRow> back = ChunkCodec.decode(TRACE, "acme", new ChunkCodec().chunk(spans));

    assertThat(back).extracting(SpanRow::spanId).containsExactly("00f067aa0ba902b7", "00f067aa0ba902b8");
    SpanRow first = back.get(0);
    assertThat(first.name()).isEqualTo(name);
    assertThat(first).extracting(SpanRow::traceId, SpanRow::tenantId, SpanRow::parentSpanId, SpanRow::kind,
        SpanRow::startNs, SpanRow::durationNs, SpanRow::status, SpanRow::service)
        .containsExactly(TRACE, "acme", null, "SERVER", 1_000L, 20L, "error", "mcpgw");
    assertThat(JSON.readTree(first.attributes())).isEqualTo(JSON.readTree(
        "{\"a\":\"x\\\"}y\",\"mcp.method.name\":\"tools/call\",\"n\":[1,2],\"~mine\":\"tilde\",\"~\":true}"));
    assertThat(JSON.readTree(first.events())).isEqualTo(JSON.readTree(
        "[{\"name\":\"e\",\"timeNs\":1005,\"attributes\":{\"k\":\"<img src=x>\"}}]"));
    assertThat(back.get(1).attributes()).isEqualTo("{}");
    assertThat(back.get(1).events()).isEqualTo("[]");
  }

  @Test
  void theKeysTheGatewayWritesOnEveryCallAreStoredAsCodesAndWhatTheLineHoldsIsNotRepeated() {
    ChunkCodec codec = new ChunkCodec();
    String text = codec.chunk(List.of(span(codec, "00f067aa0ba902b7", null, "POST /mcp",
        Attributes.builder().put("mcp.method.name", "tools/call").put("user.id", "alice").build(), List.of())));

    assertThat(text).startsWith("[2,").doesNotContain("mcp.method.name", "user.id", "r-1", "demo-echo", "\"demo\"")
        .contains("\"~0\":\"tools/call\"", "\"~2\":\"alice\"", "mcpgw", "POST /mcp");
    assertThat(text.indexOf("alice")).isEqualTo(text.lastIndexOf("alice"));
  }

  @Test
  void theCodesOfStoredChunksNeverChange() {
    // stored chunks name these keys by their index: keys may be appended, never moved
    assertThat(ChunkCodec.KEYS.subList(0, 4)).containsExactly("mcp.method.name", "request.id", "user.id",
        "tenant.id");
    assertThat(String.join(",", ChunkCodec.KEYS.subList(0, 84)).hashCode()).isEqualTo(KEYS_HASH);
    assertThat(ChunkCodec.KEYS).doesNotHaveDuplicates();
    assertThat(ChunkCodec.key("~" + Integer.toString(ChunkCodec.KEYS.size(), 36))).as("a code of a later version")
        .isEqualTo("~" + Integer.toString(ChunkCodec.KEYS.size(), 36));
    assertThat(ChunkCodec.key("~zz!")).isEqualTo("~zz!");
  }

  private static final int KEYS_HASH = 143_205_266; // of the first 84 keys, as released

  @Test
  void chunksWrittenBeforeTheVersionStillDecode() {
    // V6 and V7: user, request id, tool, upstream and method between status and service
    String v7 = "[[\"00f067aa0ba902b7\",null,\"POST /mcp\",\"SERVER\",1000,20,\"ok\",\"alice\",\"r-1\",\"demo-echo\","
        + "null,\"tools/call\",\"mcpgw\",{\"a\":{\"b\":1}},[{\"name\":\"e\"}]]]";
    // V8: attributes and events as the store gives them out
    String v8 = "[[\"00f067aa0ba902b7\",null,\"POST /mcp\",\"SERVER\",1000,20,\"ok\",\"mcpgw\",{\"~0\":1},[]]]";

    assertThat(ChunkCodec.decode(TRACE, "acme", v7)).containsExactly(
        new SpanRow(TRACE, "00f067aa0ba902b7", null, true, "POST /mcp", "SERVER", 1000L, 20L, "ok", "acme", null, null,
            null, null, null, "mcpgw", "{\"a\":{\"b\":1}}", "[{\"name\":\"e\"}]"));
    assertThat(ChunkCodec.decode(TRACE, "acme", v8)).extracting(SpanRow::attributes, SpanRow::events)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("{\"~0\":1}", "[]"));
  }

  @Test
  void aChunkOfAnUnknownVersionIsRefusedWithItsVersion() {
    assertThatThrownBy(() -> ChunkCodec.decode(TRACE, "acme", "[3,[\"x\"]]"))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("unknown version 3");
  }

  @Test
  void oneCodecWritesChunkAfterChunkWithoutCarryingAnythingOver() {
    ChunkCodec codec = new ChunkCodec();
    codec.chunk(List.of(span(codec, "00f067aa0ba902b7", null, "first",
        Attributes.of(AttributeKey.stringKey("big"), "x".repeat(5000)), List.of())));
    FinishedSpan small = span(codec, "00f067aa0ba902b9", null, "second", Attributes.empty(), List.of());

    assertThat(ChunkCodec.decode(TRACE, "acme", codec.chunk(List.of(small)))).singleElement()
        .satisfies(r -> {
          assertThat(r.name()).isEqualTo("second");
          assertThat(r.attributes()).isEqualTo("{}");
        });
  }
}
