package dev.mcpgw.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {
  private final LoggerContext context = new LoggerContext();
  private final JsonLogEncoder encoder = new JsonLogEncoder();

  private JsonNode encode(LoggingEvent event) throws Exception {
    encoder.setContext(context);
    encoder.start();
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").doesNotContain("\n\n");
    assertThat(line.strip()).doesNotContain("\n");
    return new ObjectMapper().readTree(line);
  }

  @Test
  void aLineIsOneJsonObjectWithTheIdsOfItsRequest() throws Exception {
    LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.mcpgw.Some"), Level.WARN,
        "upstream {} said \"no\"\nsecond line", null, new Object[] {"everything"});
    event.setMDCPropertyMap(Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7",
        "request_id", "r-1", "user_id", "alice", "tenant_id", "acme", "other", "not copied"));
    JsonNode json = encode(event);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText()).isEqualTo("dev.mcpgw.Some");
    assertThat(json.get("message").asText()).isEqualTo("upstream everything said \"no\"\nsecond line");
    assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(json.get("request_id").asText()).isEqualTo("r-1");
    assertThat(json.get("user_id").asText()).isEqualTo("alice");
    assertThat(json.get("tenant_id").asText()).isEqualTo("acme");
    assertThat(json.has("other")).isFalse();
  }

  @Test
  void theExceptionIsAFieldAndSecretsInItAreMasked() throws Exception {
    LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.mcpgw.Some"), Level.ERROR,
        "call failed with Authorization: Bearer abcdef123456", new IllegalStateException("password=hunter2"), null);
    event.setMDCPropertyMap(Map.of());
    JsonNode json = encode(event);
    assertThat(json.get("exception").get("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.get("exception").get("stack_trace").asText()).contains("JsonLogEncoderTest");
    assertThat(json.toString()).doesNotContain("hunter2", "abcdef123456");
    assertThat(json.has("request_id")).isFalse();
  }
}
