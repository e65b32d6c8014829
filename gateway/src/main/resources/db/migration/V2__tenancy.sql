-- Tenancy (docs/adr/0014-tenancy.md). Written once for SQLite and PostgreSQL, like V1: portable types, ADD COLUMN
-- with a constant default (both engines fill existing rows with it), plain DROP INDEX / CREATE INDEX.
-- Every existing row moves into tenant 'default', private to it.

-- Upstreams own their tools, resources, resource templates and prompts: those rows inherit the upstream's tenant.
ALTER TABLE gateways ADD COLUMN tenant_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE gateways ADD COLUMN visibility VARCHAR(16) NOT NULL DEFAULT 'private';

-- Gateway-local prompts and resources (gateway_id IS NULL) carry their own owner; on upstream rows these two
-- columns keep their defaults and are not read.
ALTER TABLE prompts ADD COLUMN tenant_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE prompts ADD COLUMN visibility VARCHAR(16) NOT NULL DEFAULT 'private';
ALTER TABLE resources ADD COLUMN tenant_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE resources ADD COLUMN visibility VARCHAR(16) NOT NULL DEFAULT 'private';

ALTER TABLE servers ADD COLUMN tenant_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE servers ADD COLUMN visibility VARCHAR(16) NOT NULL DEFAULT 'private';

-- Local prompt names and resource URIs are unique per tenant now (gateway and server names stay global).
DROP INDEX prompts_local_key;
CREATE UNIQUE INDEX prompts_local_key ON prompts (tenant_id, item_key) WHERE gateway_id IS NULL;
DROP INDEX resources_local_key;
CREATE UNIQUE INDEX resources_local_key ON resources (tenant_id, item_key) WHERE gateway_id IS NULL;

-- The tenants an entity of visibility 'shared' is shared with. kind: gateway, prompt, resource or server. No foreign
-- key (the entity lives in one of four tables): the repositories delete an entity's shares with it.
CREATE TABLE entity_shares (
  kind       VARCHAR(16) NOT NULL,
  entity_id  VARCHAR(36) NOT NULL,
  tenant_id  VARCHAR(64) NOT NULL,
  PRIMARY KEY (kind, entity_id, tenant_id)
);
