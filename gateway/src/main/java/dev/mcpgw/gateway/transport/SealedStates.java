package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code requestState} of multi round-trip requests (SEP-2322) as stateless clients of the gateway see it. An
 * upstream's state would let anyone holding it resume the request upstream, where every caller of the gateway looks
 * the same; so the gateway hands out the upstream's state sealed with the caller, the scope, the method and the tool,
 * prompt or resource, and an expiry, under an HMAC-SHA256 key. A retry must come from the same caller for the same
 * request within {@link #LIFETIME}, with the state unchanged; only then does the upstream get its own state back.
 * The key is derived from the gateway's secret key ({@code MCPGW_SECRET_KEY}), which every instance sharing a
 * registry has: a retry may reach any instance.
 */
final class SealedStates {
  /** How long a client may take to answer an {@code InputRequiredResult}. */
  static final Duration LIFETIME = Duration.ofHours(1);
  private static final String VERSION = "mcpgw1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;

  SealedStates(byte[] key, Clock clock) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the request-state key needs 32 bytes at least, has " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code upstreamState} sealed for this caller, scope and request. */
  String seal(String upstreamState, Caller caller, Scope scope, String method, String target) {
    ObjectNode payload = JsonRpc.MAPPER.createObjectNode().put("s", upstreamState)
        .put("x", clock.instant().plus(LIFETIME).getEpochSecond());
    bind(payload, caller, scope, method, target);
    try {
      String body = ENCODER.encodeToString(JsonRpc.MAPPER.writeValueAsBytes(payload));
      return VERSION + "." + body + "." + ENCODER.encodeToString(mac(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The upstream's state in {@code sealed}, or {@code null} when it was not sealed by this gateway for this caller,
   * scope and request, was changed, or expired.
   */
  String open(String sealed, Caller caller, Scope scope, String method, String target) {
    String[] parts = sealed.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      return null;
    }
    try {
      if (!MessageDigest.isEqual(DECODER.decode(parts[2]), mac(parts[1]))) {
        return null;
      }
      JsonNode payload = JsonRpc.MAPPER.readTree(DECODER.decode(parts[1]));
      ObjectNode expected = JsonRpc.MAPPER.createObjectNode();
      bind(expected, caller, scope, method, target);
      for (var it = expected.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getValue().equals(payload.get(e.getKey()))) {
          return null;
        }
      }
      if (payload.path("x").asLong(0) < clock.instant().getEpochSecond() || !payload.path("s").isTextual()) {
        return null;
      }
      return payload.get("s").textValue();
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
  }

  private static void bind(ObjectNode payload, Caller caller, Scope scope, String method, String target) {
    payload.put("u", caller.userId()).put("t", caller.tenantId()).put("v", String.valueOf(scope.serverId()))
        .put("a", scope.tenantId() + (scope.allTenants() ? "*" : "")).put("m", method).put("n", target);
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
