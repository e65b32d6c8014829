package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code requestState} of the upstream's multi round-trip tools: the state as JSON, base64url, a dot, and an
 * HMAC-SHA256 of it under a key made at start. A state that was changed, or made for another tool, does not open.
 */
final class RequestStates {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final ObjectMapper json;
  private final SecretKeySpec key;

  RequestStates(ObjectMapper json) {
    this.json = json;
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  /** {@code state} sealed for {@code tool}. */
  String seal(String tool, ObjectNode state) {
    ObjectNode payload = state.deepCopy().put("tool", tool);
    try {
      String body = ENCODER.encodeToString(json.writeValueAsBytes(payload));
      return body + "." + ENCODER.encodeToString(mac(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The state {@link #seal} made for {@code tool}, or {@code null} when {@code token} is not one of those. */
  ObjectNode open(String tool, String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    String body = token.substring(0, dot);
    try {
      byte[] given = DECODER.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(given, mac(body))) {
        return null;
      }
      JsonNode payload = json.readTree(DECODER.decode(body));
      return payload instanceof ObjectNode o && tool.equals(o.path("tool").asText()) ? o : null;
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
