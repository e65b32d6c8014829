package dev.mcpgw.gateway.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonRpcTest {
  private static JsonRpc.Kind classify(String json) throws Exception {
    return JsonRpc.classify(JsonRpc.MAPPER.readTree(json));
  }

  @Test
  void classifiesRequestsNotificationsAndResponses() throws Exception {
    assertThat(classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")).isEqualTo(JsonRpc.Kind.REQUEST);
    assertThat(classify("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
        .isEqualTo(JsonRpc.Kind.NOTIFICATION);
    assertThat(classify("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{}}")).isEqualTo(JsonRpc.Kind.RESPONSE);
  }

  @Test
  void rejectsBrokenEnvelopesWith32600SayingWhatIsWrong() {
    assertThatThrownBy(() -> classify("{\"id\":1,\"method\":\"ping\"}")).isInstanceOf(RpcException.class)
        .hasMessageContaining("jsonrpc").extracting(e -> ((RpcException) e).code()).isEqualTo(-32600);
    assertThatThrownBy(() -> classify("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}")).hasMessageContaining("'id'");
    assertThatThrownBy(() -> classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}")).hasMessageContaining("'method'");
    assertThatThrownBy(() -> classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":[]}"))
        .hasMessageContaining("'params'");
    assertThatThrownBy(() -> classify("{\"jsonrpc\":\"2.0\"}")).hasMessageContaining("needs 'method'");
    assertThatThrownBy(() -> classify("3")).hasMessageContaining("must be an object");
  }
}
