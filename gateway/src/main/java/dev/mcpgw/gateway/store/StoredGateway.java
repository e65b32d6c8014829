package dev.mcpgw.gateway.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One registered upstream as stored.
 *
 * @param id the registry id
 * @param spec how to reach it (its headers and env may hold credentials)
 * @param initializeResult the upstream's last initialize result (capabilities, serverInfo), or {@code null}
 * @param createdAt when it was registered
 * @param refreshedAt when its definitions were last discovered, or {@code null}
 * @param ownership its tenant and visibility, which its tools, resources, templates and prompts inherit
 */
public record StoredGateway(String id, UpstreamSpec spec, ObjectNode initializeResult, Instant createdAt, Instant refreshedAt,
    Ownership ownership) {
  public StoredGateway {
    ownership = ownership == null ? Ownership.DEFAULT_PRIVATE : ownership;
  }

  /** One of tenant {@code default}, private (as rows written before tenancy). */
  public StoredGateway(String id, UpstreamSpec spec, ObjectNode initializeResult, Instant createdAt, Instant refreshedAt) {
    this(id, spec, initializeResult, createdAt, refreshedAt, Ownership.DEFAULT_PRIVATE);
  }

  public String name() {
    return spec.name();
  }

  @Override
  public String toString() {
    // the spec's own toString hides header and env values
    return "StoredGateway[id=" + id + ", spec=" + spec + ", ownership=" + ownership + "]";
  }
}
