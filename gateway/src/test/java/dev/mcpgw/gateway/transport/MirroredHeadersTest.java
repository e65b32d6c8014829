package dev.mcpgw.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import org.junit.jupiter.api.Test;

class MirroredHeadersTest {
  private static JsonNode json(String s) {
    try {
      return JsonRpc.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final JsonNode CALL = json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
      + "\"params\":{\"name\":\"echo\"}}");
  private static final JsonNode READ = json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\","
      + "\"params\":{\"uri\":\"file:///a.txt\"}}");

  @Test
  void absentHeadersAndHeadersThatAgreePass() {
    assertThat(MirroredHeaders.check(null, null, CALL)).isNull();
    assertThat(MirroredHeaders.check("tools/call", "echo", CALL)).isNull();
    assertThat(MirroredHeaders.check("resources/read", "file:///a.txt", READ)).isNull();
    assertThat(MirroredHeaders.check("notifications/initialized", null,
        json("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))).isNull();
  }

  @Test
  void aMethodHeaderThatDisagreesIsAMismatchNamingIt() {
    MirroredHeaders.Mismatch m = MirroredHeaders.check("tools/list", "echo", CALL);

    assertThat(m.header()).isEqualTo("Mcp-Method");
    assertThat(m.message()).isEqualTo(
        "Header mismatch: Mcp-Method header value 'tools/list' does not match body value 'tools/call'");
  }

  @Test
  void methodValuesAreCaseSensitive() {
    assertThat(MirroredHeaders.check("Tools/Call", null, CALL).header()).isEqualTo("Mcp-Method");
  }

  @Test
  void aNameHeaderMustMatchTheToolNameOrTheResourceUri() {
    assertThat(MirroredHeaders.check(null, "other", CALL).header()).isEqualTo("Mcp-Name");
    assertThat(MirroredHeaders.check("resources/read", "file:///b.txt", READ).message())
        .contains("'file:///b.txt'").contains("'file:///a.txt'");
    JsonNode prompt = json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompts/get\",\"params\":{\"name\":\"p\"}}");
    assertThat(MirroredHeaders.check(null, "p", prompt)).isNull();
    assertThat(MirroredHeaders.check(null, "q", prompt).header()).isEqualTo("Mcp-Name");
  }

  @Test
  void aNameHeaderWithoutANameInTheBodyIsAMismatch() {
    JsonNode nameless = json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}");

    assertThat(MirroredHeaders.check(null, "echo", nameless).message()).contains("body value '(none)'");
  }

  @Test
  void aNameHeaderOnAMethodWithoutANameIsNotCompared() {
    assertThat(MirroredHeaders.check("tools/list", "anything",
        json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))).isNull();
  }

  @Test
  void longHeaderValuesAreCutInTheMessage() {
    String longName = "x".repeat(5000);

    assertThat(MirroredHeaders.check(null, longName, CALL).message().length()).isLessThan(400);
  }
}
