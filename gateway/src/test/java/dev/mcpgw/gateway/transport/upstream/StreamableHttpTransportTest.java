package dev.mcpgw.gateway.transport.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Streamable HTTP client against server-everything's {@code streamableHttp} mode. */
class StreamableHttpTransportTest extends UpstreamTransportBehaviour {
  private EverythingServer server;

  @Override
  UpstreamSpec upstream(Map<String, String> headers) {
    server = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    return server.spec(NAME, headers);
  }

  @Override
  void killUpstream() {
    server.kill();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void serverRequestsOnACallsResponseStreamGoToThatCallsListener() throws Exception {
    SamplingClient sessionWide = new SamplingClient(false);
    SamplingClient perCall = new SamplingClient(false);
    UpstreamClient session = openSamplingSession(sessionWide);

    JsonNode result = session.request("tools/call", params(
        "{\"name\":\"trigger-sampling-request\",\"arguments\":{\"prompt\":\"hello\"}}"),
        RequestOptions.call(Duration.ofSeconds(20)).withListener(perCall)).get(30, TimeUnit.SECONDS);

    assertThat(result.at("/content/0/text").asText()).contains("sampled-answer");
    assertThat(perCall.asked).containsExactly("sampling/createMessage");
    assertThat(sessionWide.asked).isEmpty();
  }
}
