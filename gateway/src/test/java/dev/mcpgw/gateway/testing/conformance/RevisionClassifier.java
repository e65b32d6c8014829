package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tells session traffic from 2026-07-28 (stateless) traffic the way a 2026-07-28-aware server does, in front of the
 * upstream's Streamable HTTP endpoint. A POST without {@code Mcp-Session-Id} that carries an
 * {@code MCP-Protocol-Version} header or a {@code params._meta} is stateless traffic, unless it has no {@code _meta}
 * and its header names a session-era revision. Stateless traffic must carry the header
 * ({@code -32020 Missing MCP-Protocol-Version header}, HTTP 400), the revision and client capabilities in
 * {@code _meta} ({@code -32602}), a header equal to the revision in {@code _meta} ({@code -32020}). A well-formed
 * 2026-07-28 request goes to the {@link DraftRevision} of the endpoint, when it has one; any other revision, or any
 * revision on an endpoint without one, is answered {@code -32022} with the revisions the endpoint speaks. Everything
 * else goes on to the session endpoint.
 *
 * <p>So a session-era client that puts anything into {@code params._meta} of {@code initialize}, or of a request
 * without a session, is refused here as it would be by such a server.
 */
final class RevisionClassifier extends HttpFilter {
  static final List<String> SESSION_REVISIONS = List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
  static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
  static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";

  private final ObjectMapper json = new ObjectMapper();
  private final DraftRevision draft;

  /** @param draft serves 2026-07-28 requests, or {@code null} for an endpoint that speaks the session era only */
  RevisionClassifier(DraftRevision draft) {
    this.draft = draft;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!"POST".equals(request.getMethod()) || request.getHeader("Mcp-Session-Id") != null) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = request.getInputStream().readAllBytes();
    JsonNode message = parse(body);
    JsonNode meta = message.path("params").get("_meta");
    String version = request.getHeader("MCP-Protocol-Version");
    boolean sessionEra = meta == null && version != null && SESSION_REVISIONS.contains(version);
    if ((version == null && meta == null) || sessionEra) {
      chain.doFilter(new Replayed(request, body), response);
      return;
    }
    JsonNode id = message.path("id");
    if (version == null) {
      refuse(response, id, -32020, "Missing MCP-Protocol-Version header");
    } else if (!(meta instanceof ObjectNode m) || !m.hasNonNull(META_PROTOCOL_VERSION)
        || !m.hasNonNull(META_CLIENT_CAPABILITIES)) {
      refuse(response, id, -32602, "Invalid params: missing _meta or required fields");
    } else if (!version.equals(m.get(META_PROTOCOL_VERSION).asText())) {
      refuse(response, id, -32020, "Mismatched MCP-Protocol-Version header");
    } else if (draft != null && version.equals(DraftRevision.VERSION) && message instanceof ObjectNode stateless) {
      draft.serve(request, response, stateless);
    } else {
      ObjectNode data = json.createObjectNode();
      (draft != null ? DraftRevision.SUPPORTED : SESSION_REVISIONS).forEach(data.putArray("supported")::add);
      data.put("requested", version);
      refuse(response, id, -32022, "UnsupportedProtocolVersionError", data);
    }
  }

  private JsonNode parse(byte[] body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode(); // the session endpoint answers the parse error
    }
  }

  private void refuse(HttpServletResponse response, JsonNode id, int code, String message) throws IOException {
    refuse(response, id, code, message, null);
  }

  private void refuse(HttpServletResponse response, JsonNode id, int code, String message, ObjectNode data)
      throws IOException {
    ObjectNode error = json.createObjectNode().put("jsonrpc", "2.0");
    error.set("id", id.isMissingNode() ? null : id);
    ObjectNode e = error.putObject("error").put("code", code).put("message", message);
    if (data != null) {
      e.set("data", data);
    }
    response.setStatus(400);
    response.setContentType("application/json");
    response.getOutputStream().write(json.writeValueAsBytes(error));
  }

  /** The request with its body, already read, read again. */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] body;

    Replayed(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already read");
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
