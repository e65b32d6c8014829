package dev.mcpgw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the fuzz test's requests from a seeded {@link Random}: JSON-RPC messages in valid shapes with wrong types,
 * huge ids, unicode and batches, {@code params._meta}, the {@code traceparent} and {@code baggage} headers, and bodies
 * for the registry's writes, and requests of the stateless revision ({@link #stateless}). The same seed gives the
 * same inputs, so a failure names the seed and index to replay.
 * Nothing generated may start a real program: stdio commands are paths that do not exist, upstream URLs are loopback
 * ports nothing listens on or not http(s).
 */
final class FuzzInputs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final List<String> METHODS = List.of("initialize", "ping", "tools/list", "tools/call", "prompts/list",
      "prompts/get", "resources/list", "resources/read", "resources/templates/list", "resources/subscribe",
      "resources/unsubscribe", "completion/complete", "logging/setLevel", "notifications/initialized",
      "notifications/cancelled", "notifications/progress", "notifications/roots/list_changed", "sampling/createMessage",
      "", "tools/", "rpc.discover", "$/cancelRequest");
  private static final List<String> STRINGS = List.of("", " ", "a", "echo", "everything-echo", "greet", "docs://guide",
      "\u0000", "\uD83D\uDE00", "\u202Eevil", "\uFFFF", "\uD800", "null", "true", "-1", "../../etc/passwd",
      "{{ 7*7 }}", "{% for x in y %}{{ x }}{% endfor %}", "<script>alert(1)</script>", "' OR 1=1 --", "%00",
      "x".repeat(3000), "\u00e9\u00e8\u4e2d\u6587", "\r\n", "\\", "\"");

  /** One HTTP request to make. */
  record Input(String method, String path, Map<String, String> headers, byte[] body, String kind) {
    String describe() {
      String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
      Map<String, String> shown = new LinkedHashMap<>(headers);
      shown.replace("Authorization", "Bearer ...");
      return kind + " " + method + " " + path + " " + shown + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
  }

  /** Where the generated requests go, and with which credentials. */
  record Target(String serverId, String session, String batchSession, String userToken, String adminToken) {}

  private final Random random;
  private final Target target;

  FuzzInputs(long seed, Target target) {
    this.random = new Random(seed);
    this.target = target;
  }

  Input next() {
    int pick = random.nextInt(100);
    if (pick < 55) {
      return rpc(false);
    }
    if (pick < 62) {
      return batch();
    }
    if (pick < 70) {
      return rpc(true);
    }
    if (pick < 82) {
      return stateless();
    }
    return registry();
  }

  private Input rpc(boolean fuzzHeaders) {
    Map<String, String> headers = mcpHeaders(target.session());
    if (fuzzHeaders) {
      headers.put("traceparent", traceparent());
      if (random.nextBoolean()) {
        headers.put("baggage", baggage());
      }
      if (random.nextInt(4) == 0) {
        headers.put("tracestate", printable(random.nextInt(200)));
      }
      if (random.nextInt(5) == 0) {
        headers.put("MCP-Protocol-Version", random.nextBoolean() ? "2025-11-25" : printable(12));
      }
      if (random.nextInt(5) == 0) {
        headers.put("Mcp-Method", random.nextBoolean() ? pick(METHODS) : printable(10));
      }
    }
    String path = random.nextInt(5) == 0 ? "/servers/" + target.serverId() + "/mcp" : "/mcp";
    return new Input("POST", path, headers, body(message()), fuzzHeaders ? "headers" : "rpc");
  }

  /** Methods only the stateless revision has ({@code subscriptions/listen} is left out: its stream never ends). */
  private static final List<String> STATELESS_METHODS = List.of("server/discover", "tools/call", "tools/call",
      "prompts/get", "resources/read", "tools/list", "completion/complete", "initialize", "ping");

  /**
   * A request of the stateless revision (2026-07-28): no session, the revision, client capabilities and client
   * info in {@code _meta} (each sometimes of a wrong type), the SEP-2243 headers that mirror the body (sometimes
   * missing or wrong, {@code Mcp-Param-*} in {@code =?base64?...?=} of any bytes), and the members of a multi
   * round-trip retry ({@code requestState} forged or of a wrong type, {@code inputResponses} of any shape).
   */
  private Input stateless() {
    Map<String, String> headers = mcpHeaders(target.session());
    if (random.nextInt(10) != 0) {
      headers.remove("Mcp-Session-Id");
    }
    String version = switch (random.nextInt(8)) {
      case 0 -> null;
      case 1 -> "2025-11-25";
      case 2 -> printable(random.nextInt(20));
      default -> "2026-07-28";
    };
    if (version != null) {
      headers.put("MCP-Protocol-Version", version);
    }
    String method = random.nextInt(8) == 0 ? string() : pick(STATELESS_METHODS);
    ObjectNode m = NODES.objectNode().put("jsonrpc", "2.0");
    m.set("id", random.nextInt(10) == 0 ? value(1) : NODES.numberNode(random.nextInt(1000)));
    m.put("method", method);
    ObjectNode params = params(method);
    ObjectNode meta = params.get("_meta") instanceof ObjectNode o ? o : params.putObject("_meta");
    meta.set("io.modelcontextprotocol/protocolVersion", random.nextInt(6) == 0 ? value(1)
        : NODES.textNode(random.nextInt(5) == 0 || version == null ? printable(10) : version));
    ObjectNode capabilities = NODES.objectNode();
    for (String capability : List.of("sampling", "elicitation", "roots")) {
      if (random.nextBoolean()) {
        capabilities.set(capability, random.nextInt(4) == 0 ? value(1) : NODES.objectNode());
      }
    }
    meta.set("io.modelcontextprotocol/clientCapabilities", random.nextInt(6) == 0 ? value(1) : capabilities);
    meta.set("io.modelcontextprotocol/clientInfo", random.nextInt(4) == 0 ? value(2)
        : NODES.objectNode().put("name", string()).put("version", string()));
    if (random.nextInt(3) == 0) {
      params.set("requestState", switch (random.nextInt(5)) {
        case 0 -> value(1);
        case 1 -> NODES.textNode("mcpgw1." + printable(random.nextInt(400)) + "." + printable(random.nextInt(60)));
        case 2 -> NODES.textNode("mcpgw1." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
            ("{\"s\":\"h:" + printable(36) + "\",\"x\":" + Long.MAX_VALUE + ",\"u\":\"alice\"}")
                .getBytes(StandardCharsets.UTF_8)) + "." + printable(43));
        default -> NODES.textNode(string());
      });
    }
    if (random.nextInt(3) == 0) {
      params.set("inputResponses", random.nextBoolean() ? value(3)
          : NODES.objectNode().set("input-" + random.nextInt(3), value(2)));
    }
    m.set("params", params);
    if (random.nextInt(6) != 0) {
      headers.put("Mcp-Method", random.nextInt(8) == 0 ? printable(12) : method.isEmpty() ? "x" : headerValue(method));
    }
    JsonNode name = params.has("name") ? params.get("name") : params.get("uri");
    if (name != null && random.nextInt(6) != 0) {
      headers.put("Mcp-Name", random.nextInt(8) == 0 ? printable(12) : headerValue(name.asText()));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      headers.put("Mcp-Param-" + (random.nextBoolean() ? "Region" : printable(1 + random.nextInt(10))
          .replaceAll("[^A-Za-z0-9-]", "x")), paramValue());
    }
    String path = random.nextInt(5) == 0 ? "/servers/" + target.serverId() + "/mcp" : "/mcp";
    return new Input("POST", path, headers, body(m), "stateless");
  }

  /** A header value as SEP-2243 sends it: plain printable ASCII, else base64 in {@code =?base64?...?=}. */
  private static String headerValue(String value) {
    boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    return plain ? value : "=?base64?" + java.util.Base64.getEncoder().encodeToString(
        value.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  /** An {@code Mcp-Param-*} value: plain, base64 of any bytes (invalid UTF-8 too), broken base64, or long. */
  private String paramValue() {
    byte[] bytes = new byte[random.nextInt(random.nextInt(10) == 0 ? 6000 : 40)];
    random.nextBytes(bytes);
    return switch (random.nextInt(5)) {
      case 0 -> printable(random.nextInt(30));
      case 1 -> "=?base64?" + printable(random.nextInt(30)) + "?=";
      case 2 -> "=?base64?=?base64?" + java.util.Base64.getEncoder().encodeToString(bytes) + "?=?=";
      default -> "=?base64?" + java.util.Base64.getEncoder().encodeToString(bytes) + "?=";
    };
  }

  private Input batch() {
    ArrayNode batch = NODES.arrayNode();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      batch.add(random.nextInt(6) == 0 ? value(2) : message());
    }
    String session = random.nextBoolean() ? target.batchSession() : target.session();
    return new Input("POST", "/mcp", mcpHeaders(session), body(batch), "batch");
  }

  private Map<String, String> mcpHeaders(String session) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Authorization", "Bearer " + target.userToken());
    h.put("Content-Type", "application/json");
    h.put("Accept", "application/json");
    if (random.nextInt(20) != 0) {
      h.put("Mcp-Session-Id", random.nextInt(30) == 0 ? printable(36) : session);
    }
    return h;
  }

  /** A JSON-RPC message: the right envelope most of the time, each part sometimes of a wrong type. */
  private JsonNode message() {
    ObjectNode m = NODES.objectNode();
    m.set("jsonrpc", random.nextInt(10) == 0 ? value(1) : NODES.textNode("2.0"));
    if (random.nextInt(8) != 0) {
      m.set("id", id());
    }
    String method = random.nextInt(10) == 0 ? string() : pick(METHODS);
    if ("initialize".equals(method) && random.nextInt(4) != 0) {
      method = "ping"; // a session per initialize: keep them few
    }
    m.set("method", random.nextInt(15) == 0 ? value(1) : NODES.textNode(method));
    if (random.nextInt(6) != 0) {
      m.set("params", random.nextInt(8) == 0 ? value(2) : params(method));
    }
    if (random.nextInt(20) == 0) {
      m.set("result", value(2));
    }
    if (random.nextInt(20) == 0) {
      m.set(string(), value(2));
    }
    return m;
  }

  private JsonNode id() {
    return switch (random.nextInt(8)) {
      case 0 -> NODES.numberNode(new BigInteger(1 + "0".repeat(random.nextInt(120))));
      case 1 -> NODES.textNode(string());
      case 2 -> NODES.numberNode(random.nextDouble());
      case 3 -> NODES.numberNode(Long.MIN_VALUE);
      case 4 -> value(1);
      default -> NODES.numberNode(random.nextInt(1_000_000));
    };
  }

  private ObjectNode params(String method) {
    ObjectNode p = NODES.objectNode();
    switch (method) {
      case "tools/call" -> {
        p.put("name", random.nextInt(3) == 0 ? "everything-echo" : string());
        ObjectNode args = p.putObject("arguments");
        args.set("message", random.nextInt(3) == 0 ? NODES.textNode(string()) : value(2));
        if (random.nextInt(4) == 0) {
          args.set(string(), value(2));
        }
      }
      case "prompts/get" -> {
        p.set("name", random.nextInt(5) == 0 ? value(1) : NODES.textNode(random.nextBoolean() ? "greet" : string()));
        p.set("arguments", random.nextBoolean() ? value(2) : NODES.objectNode().put("who", string()));
      }
      case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
          p.set("uri", random.nextInt(4) == 0 ? value(1) : NODES.textNode(string()));
      case "logging/setLevel" -> p.set("level", random.nextBoolean() ? NODES.textNode(pick(List.of("debug", "info",
          "emergency"))) : value(1));
      case "completion/complete" -> {
        p.set("ref", value(2));
        p.set("argument", value(2));
      }
      case "initialize" -> {
        p.put("protocolVersion", random.nextBoolean() ? "2025-11-25" : string());
        p.set("capabilities", random.nextBoolean() ? NODES.objectNode() : value(2));
        p.set("clientInfo", value(2));
      }
      default -> {
        if (random.nextBoolean()) {
          p.set("cursor", value(1));
        }
      }
    }
    if (random.nextInt(3) == 0) {
      p.set("_meta", meta());
    }
    return p;
  }

  private JsonNode meta() {
    if (random.nextInt(6) == 0) {
      return value(2);
    }
    ObjectNode meta = NODES.objectNode();
    if (random.nextBoolean()) {
      meta.set("progressToken", random.nextBoolean() ? id() : value(2));
    }
    if (random.nextBoolean()) {
      meta.set("traceparent", random.nextInt(4) == 0 ? value(1) : NODES.textNode(traceparent()));
    }
    if (random.nextBoolean()) {
      meta.set("baggage", random.nextInt(4) == 0 ? value(1) : NODES.textNode(baggage()));
    }
    if (random.nextBoolean()) {
      meta.set("tracestate", value(1));
    }
    if (random.nextInt(3) == 0) {
      meta.set(string(), value(3));
    }
    return meta;
  }

  private String traceparent() {
    return switch (random.nextInt(8)) {
      case 0 -> "00-" + hex(32) + "-" + hex(16) + "-0" + random.nextInt(4);
      case 1 -> "ff-" + hex(32) + "-" + hex(16) + "-01";
      case 2 -> "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01";
      case 3 -> "00-" + hex(random.nextInt(40)) + "-" + hex(random.nextInt(20)) + "-" + hex(2);
      case 4 -> ("00-" + hex(32) + "-" + hex(16) + "-01").toUpperCase();
      case 5 -> "00-" + hex(32) + "-" + hex(16) + "-01-" + printable(random.nextInt(50));
      case 6 -> printable(random.nextInt(300));
      default -> "";
    };
  }

  private String baggage() {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(6);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(random.nextInt(10) == 0 ? ";" : ",");
      }
      b.append(random.nextInt(8) == 0 ? printable(random.nextInt(20)) : "k" + random.nextInt(50));
      b.append(random.nextInt(8) == 0 ? "" : "=");
      b.append(random.nextInt(5) == 0 ? "%F0%9F%98%80%ZZ" : printable(random.nextInt(30)).replace(",", ""));
      if (random.nextInt(6) == 0) {
        b.append(";metadata=").append(printable(5));
      }
    }
    return b.toString();
  }

  private Input registry() {
    String path = pick(List.of("/gateways", "/prompts", "/resources", "/servers"));
    ObjectNode body = NODES.objectNode();
    switch (path) {
      case "/gateways" -> {
        body.set("name", random.nextInt(5) == 0 ? value(1) : NODES.textNode(string()));
        String transport = pick(List.of("streamablehttp", "sse", "stdio", "http", ""));
        body.set("transport", random.nextInt(6) == 0 ? value(1) : NODES.textNode(transport));
        body.put("url", pick(List.of("http://127.0.0.1:9/mcp", "http://[::1]:9/sse", "ftp://127.0.0.1/x",
            "javascript:alert(1)", "file:///etc/passwd", "http://user:pw@127.0.0.1:9/mcp?api_key=k", "", "::")));
        if (random.nextBoolean()) {
          // never a real program: a path that does not exist
          body.put("command", "/nonexistent/mcpgw-fuzz/" + random.nextInt(1000));
        }
        if (random.nextBoolean()) {
          body.set("args", random.nextBoolean() ? NODES.arrayNode().add(string()) : value(1));
        }
        if (random.nextBoolean()) {
          body.set("env", random.nextBoolean() ? NODES.objectNode().put("K", string()) : value(1));
        }
        if (random.nextBoolean()) {
          body.set("headers", random.nextBoolean() ? NODES.objectNode().put("X-A", string()) : value(1));
        }
      }
      case "/prompts" -> {
        body.set("name", random.nextInt(5) == 0 ? value(1) : NODES.textNode(string()));
        body.set("template", random.nextInt(5) == 0 ? value(1) : NODES.textNode(string() + " {{ who }}"));
        if (random.nextBoolean()) {
          body.set("arguments", random.nextBoolean()
              ? NODES.arrayNode().add(NODES.objectNode().put("name", "who").set("required", value(0)))
              : value(2));
        }
      }
      case "/resources" -> {
        body.set("uri", random.nextInt(5) == 0 ? value(1) : NODES.textNode(string()));
        body.set("content", random.nextInt(5) == 0 ? value(1) : NODES.textNode(string()));
        if (random.nextBoolean()) {
          body.set("mimeType", value(1));
        }
      }
      default -> {
        body.set("name", random.nextInt(5) == 0 ? value(1) : NODES.textNode(string()));
        for (String list : new String[] {"gateways", "tools", "resources", "prompts"}) {
          if (random.nextBoolean()) {
            body.set(list, random.nextBoolean() ? NODES.arrayNode().add(string()) : value(1));
          }
        }
      }
    }
    if (random.nextInt(6) == 0) {
      body.set(string(), value(2));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + (random.nextInt(6) == 0 ? target.userToken() : target.adminToken()));
    headers.put("Content-Type", random.nextInt(12) == 0 ? "text/plain" : "application/json");
    String method = random.nextInt(12) == 0 ? pick(List.of("PUT", "PATCH", "DELETE")) : "POST";
    String where = "DELETE".equals(method) ? path + "/" + printable(8).replaceAll("[^A-Za-z0-9]", "x") : path;
    return new Input(method, where, headers, random.nextInt(15) == 0 ? body(value(3)) : body(body), "registry");
  }

  /** The JSON text of {@code node}, now and then damaged: cut short, deeply nested, or with invalid UTF-8. */
  private byte[] body(JsonNode node) {
    byte[] text = node.toString().getBytes(StandardCharsets.UTF_8);
    return switch (random.nextInt(30)) {
      case 0 -> java.util.Arrays.copyOf(text, random.nextInt(text.length + 1));
      case 1 -> ("[".repeat(150 + random.nextInt(2000)) + "1" + "]".repeat(random.nextInt(400))).getBytes(StandardCharsets.UTF_8);
      case 2 -> {
        byte[] broken = text.clone();
        broken[random.nextInt(broken.length)] = (byte) (0x80 + random.nextInt(0x80));
        yield broken;
      }
      case 3 -> new byte[0];
      default -> text;
    };
  }

  private JsonNode value(int depth) {
    int kinds = depth <= 0 ? 6 : 8;
    return switch (random.nextInt(kinds)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(random.nextBoolean() ? random.nextGaussian() * 1e300 : -0.0);
      case 4, 5 -> NODES.textNode(string());
      case 6 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.add(value(depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          o.set(string(), value(depth - 1));
        }
        yield o;
      }
    };
  }

  private String string() {
    if (random.nextBoolean()) {
      return pick(STRINGS);
    }
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(40); i > 0; i--) {
      s.appendCodePoint(switch (random.nextInt(4)) {
        case 0 -> 0x20 + random.nextInt(0x5f);
        case 1 -> random.nextInt(0x20);
        case 2 -> 0xa0 + random.nextInt(0x2000);
        default -> 0x1F300 + random.nextInt(0x300);
      });
    }
    return s.toString();
  }

  /** Printable ASCII only: what an HTTP client library lets into a header value. */
  private String printable(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) (0x21 + random.nextInt(0x5e)));
    }
    return s.toString();
  }

  private String hex(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(Character.forDigit(random.nextInt(16), 16));
    }
    return s.toString();
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }
}
