-- The registry schema. Written once for SQLite and PostgreSQL: portable types only (VARCHAR, TEXT, BIGINT),
-- times as epoch milliseconds, MCP definitions as their raw JSON text so unknown fields survive.

CREATE TABLE gateways (
  id            VARCHAR(36)  PRIMARY KEY,
  name          VARCHAR(64)  NOT NULL UNIQUE,
  transport     VARCHAR(20)  NOT NULL,
  url           TEXT,
  command       TEXT,
  args_json     TEXT         NOT NULL,
  env_json      TEXT         NOT NULL,
  headers_json  TEXT         NOT NULL,
  init_json     TEXT,
  created_at    BIGINT       NOT NULL,
  refreshed_at  BIGINT
);

-- Tools, resources, resource templates and prompts share one shape: an owner (NULL for gateway-local prompts and
-- resources), a key (tool/prompt name, resource URI or URI template), the definition, and for local ones a body
-- (the prompt's Jinja template or the resource's text).
CREATE TABLE tools (
  id          VARCHAR(36) PRIMARY KEY,
  gateway_id  VARCHAR(36) REFERENCES gateways(id) ON DELETE CASCADE,
  item_key    TEXT        NOT NULL,
  definition  TEXT        NOT NULL,
  body        TEXT,
  created_at  BIGINT      NOT NULL
);
CREATE UNIQUE INDEX tools_owner_key ON tools (gateway_id, item_key);

CREATE TABLE resources (
  id          VARCHAR(36) PRIMARY KEY,
  gateway_id  VARCHAR(36) REFERENCES gateways(id) ON DELETE CASCADE,
  item_key    TEXT        NOT NULL,
  definition  TEXT        NOT NULL,
  body        TEXT,
  created_at  BIGINT      NOT NULL
);
CREATE UNIQUE INDEX resources_owner_key ON resources (gateway_id, item_key);
CREATE UNIQUE INDEX resources_local_key ON resources (item_key) WHERE gateway_id IS NULL;

CREATE TABLE resource_templates (
  id          VARCHAR(36) PRIMARY KEY,
  gateway_id  VARCHAR(36) REFERENCES gateways(id) ON DELETE CASCADE,
  item_key    TEXT        NOT NULL,
  definition  TEXT        NOT NULL,
  body        TEXT,
  created_at  BIGINT      NOT NULL
);
CREATE UNIQUE INDEX resource_templates_owner_key ON resource_templates (gateway_id, item_key);

CREATE TABLE prompts (
  id          VARCHAR(36) PRIMARY KEY,
  gateway_id  VARCHAR(36) REFERENCES gateways(id) ON DELETE CASCADE,
  item_key    TEXT        NOT NULL,
  definition  TEXT        NOT NULL,
  body        TEXT,
  created_at  BIGINT      NOT NULL
);
CREATE UNIQUE INDEX prompts_owner_key ON prompts (gateway_id, item_key);
CREATE UNIQUE INDEX prompts_local_key ON prompts (item_key) WHERE gateway_id IS NULL;

-- Virtual servers: a name and the members they expose. Membership rows go with their server or their member.
CREATE TABLE servers (
  id          VARCHAR(36)  PRIMARY KEY,
  name        VARCHAR(64)  NOT NULL UNIQUE,
  description TEXT,
  created_at  BIGINT       NOT NULL
);
CREATE TABLE server_gateways (
  server_id   VARCHAR(36) NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  member_id   VARCHAR(36) NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
  PRIMARY KEY (server_id, member_id)
);
CREATE TABLE server_tools (
  server_id   VARCHAR(36) NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  member_id   VARCHAR(36) NOT NULL REFERENCES tools(id) ON DELETE CASCADE,
  PRIMARY KEY (server_id, member_id)
);
CREATE TABLE server_resources (
  server_id   VARCHAR(36) NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  member_id   VARCHAR(36) NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  PRIMARY KEY (server_id, member_id)
);
CREATE TABLE server_prompts (
  server_id   VARCHAR(36) NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  member_id   VARCHAR(36) NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  PRIMARY KEY (server_id, member_id)
);
