-- Per-user upstream credentials (docs/adr/0018-upstream-credentials-per-user.md). Written once for SQLite and
-- PostgreSQL, like V1 and V2.

-- How an upstream's calls authenticate: 'shared' (the registration's headers, as before) or 'per-user' (each
-- caller's own stored headers, on an upstream session of that caller's own).
ALTER TABLE gateways ADD COLUMN credentials VARCHAR(16) NOT NULL DEFAULT 'shared';

-- One user's headers for one per-user upstream. headers_json is encrypted with the registry's key (AES-256-GCM,
-- enc:v1:), its associated data naming the row's tenant, user and upstream, so a value copied to another row does
-- not decrypt. Deleted with its upstream.
CREATE TABLE upstream_credentials (
  tenant_id     VARCHAR(64)  NOT NULL,
  user_id       VARCHAR(256) NOT NULL,
  gateway_id    VARCHAR(36)  NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
  headers_json  TEXT         NOT NULL,
  updated_at    BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, user_id, gateway_id)
);
CREATE INDEX upstream_credentials_gateway ON upstream_credentials (gateway_id);
