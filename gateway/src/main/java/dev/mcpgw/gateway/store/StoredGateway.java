package dev.mcpgw.gateway.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.transport.upstream.UpstreamSpec;
import java.time.Instant;

/**
 * One registered upstream as stored.
 *
 * @param id the registry id
 * @param spec how to reach it (its headers and env may hold credentials)
 * @param initializeResult the upstream's last initialize result (capabilities, serverInfo), or {@code null}
 * @param createdAt when it was registered
 * @param refreshedAt when its definitions were last discovered, or {@code null}
 */
public record StoredGateway(String id, UpstreamSpec spec, ObjectNode initializeResult, Instant createdAt, Instant refreshedAt) {
  public String name() {
    return spec.name();
  }

  @Override
  public String toString() {
    // the spec's own toString hides header and env values
    return "StoredGateway[id=" + id + ", spec=" + spec + "]";
  }
}
