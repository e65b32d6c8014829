package dev.mcpgw.gateway.usage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A quota a call would exceed: the JSON-RPC error {@value #CODE} (in the range JSON-RPC leaves to implementations)
 * whose message names the quota and when it resets, with {@code data} {@code quota}, {@code limit}, {@code used},
 * {@code resetsAt}.
 */
public record QuotaExceeded(Quota quota, double used, Instant resetsAt) {
  /** The JSON-RPC error code of a call rejected by a quota. */
  public static final int CODE = -32040;

  public String message() {
    return "quota " + quota.id() + " exceeded: " + quota.describe() + ", used " + Quota.number(used)
        + "; it resets at " + resetsAt;
  }

  public ObjectNode data() {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("quota", quota.id()).put("metric", quota.metric().wire()).put("window", quota.window().wire());
    Quota.putNumber(data, "limit", quota.limit());
    Quota.putNumber(data, "used", used);
    data.put("resetsAt", resetsAt.toString());
    return data;
  }
}
