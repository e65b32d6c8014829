-- The embedded span store (issue 12, docs/observability-console.md). Written once for SQLite and PostgreSQL.
-- One row per finished span. The columns the console and /observability/traces filter on are copied out of the
-- attributes; tenant_id is the tenant of the local request tree the span belongs to (ADR 0014: stored spans belong
-- to a tenant and are filtered like every other entity; NULL means no tenant, seen by platform admins only).
-- Times are epoch nanoseconds.
CREATE TABLE spans (
  trace_id        VARCHAR(32)  NOT NULL,
  span_id         VARCHAR(16)  NOT NULL,
  parent_span_id  VARCHAR(16),
  name            VARCHAR(512) NOT NULL,
  kind            VARCHAR(16)  NOT NULL,
  start_ns        BIGINT       NOT NULL,
  duration_ns     BIGINT       NOT NULL,
  status          VARCHAR(8)   NOT NULL,
  tenant_id       VARCHAR(64),
  user_id         VARCHAR(256),
  request_id      VARCHAR(256),
  tool_name       VARCHAR(256),
  upstream        VARCHAR(256),
  method          VARCHAR(128),
  service         VARCHAR(256),
  attributes      TEXT         NOT NULL,
  events          TEXT         NOT NULL,
  PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX spans_start ON spans (start_ns);
CREATE INDEX spans_tenant_start ON spans (tenant_id, start_ns);
CREATE INDEX spans_request ON spans (request_id);
CREATE INDEX spans_user ON spans (user_id);
CREATE INDEX spans_tool ON spans (tool_name);
CREATE INDEX spans_status ON spans (status);
CREATE INDEX spans_duration ON spans (duration_ns);
