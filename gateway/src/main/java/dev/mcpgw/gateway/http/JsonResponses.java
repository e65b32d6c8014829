package dev.mcpgw.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes JSON bodies and the gateway's error shape. */
public final class JsonResponses {
  /** The mapper of the admin API: ISO-8601 times, records as objects, the request path's parser limits. */
  public static final ObjectMapper MAPPER = new ObjectMapper(MessageJson.factory())
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private JsonResponses() {}

  public static void write(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    MAPPER.writeValue(response.getOutputStream(), body);
  }

  /** {@code {"error": message, "field": field}} ({@code field} left out when {@code null}). */
  public static void error(HttpServletResponse response, int status, String message, String field) throws IOException {
    ObjectNode body = MAPPER.createObjectNode().put("error", message);
    if (field != null) {
      body.put("field", field);
    }
    write(response, status, body);
  }
}
