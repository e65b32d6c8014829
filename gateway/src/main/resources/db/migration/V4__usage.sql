-- The usage store and quotas (issue 11, docs/usage.md, ADR 0023). Written once for SQLite and PostgreSQL.
-- usage_minutes: one row per minute (epoch milliseconds of its start, UTC) per tenant, user, tool and model; instances
-- add into it with INSERT ... ON CONFLICT DO UPDATE (upsert-add), so two instances on one PostgreSQL add up. No
-- payload is ever stored: only counts, tokens, cost (billionths of the pricing file's currency) and a fixed latency
-- histogram (lat_0..lat_15, bucket bounds in usage/LatencyBuckets) from which p50/p95 of any range are computed.
CREATE TABLE usage_minutes (
  minute_start     BIGINT       NOT NULL,
  tenant_id        VARCHAR(64)  NOT NULL,
  user_id          VARCHAR(256) NOT NULL,
  tool             VARCHAR(256) NOT NULL,
  model            VARCHAR(128) NOT NULL,
  calls            BIGINT       NOT NULL,
  errors           BIGINT       NOT NULL,
  arguments_tokens BIGINT       NOT NULL,
  result_tokens    BIGINT       NOT NULL,
  input_tokens     BIGINT       NOT NULL,
  output_tokens    BIGINT       NOT NULL,
  cost_nanos       BIGINT       NOT NULL,
  lat_0             BIGINT       NOT NULL DEFAULT 0,
  lat_1             BIGINT       NOT NULL DEFAULT 0,
  lat_2             BIGINT       NOT NULL DEFAULT 0,
  lat_3             BIGINT       NOT NULL DEFAULT 0,
  lat_4             BIGINT       NOT NULL DEFAULT 0,
  lat_5             BIGINT       NOT NULL DEFAULT 0,
  lat_6             BIGINT       NOT NULL DEFAULT 0,
  lat_7             BIGINT       NOT NULL DEFAULT 0,
  lat_8             BIGINT       NOT NULL DEFAULT 0,
  lat_9             BIGINT       NOT NULL DEFAULT 0,
  lat_10            BIGINT       NOT NULL DEFAULT 0,
  lat_11            BIGINT       NOT NULL DEFAULT 0,
  lat_12            BIGINT       NOT NULL DEFAULT 0,
  lat_13            BIGINT       NOT NULL DEFAULT 0,
  lat_14            BIGINT       NOT NULL DEFAULT 0,
  lat_15            BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (minute_start, tenant_id, user_id, tool, model)
);
CREATE INDEX usage_minutes_tenant ON usage_minutes (tenant_id, minute_start);

-- Quotas (ADR 0014: they belong to a tenant). user_id NULL limits the whole tenant.
CREATE TABLE quotas (
  id           VARCHAR(64)      NOT NULL PRIMARY KEY,
  tenant_id    VARCHAR(64)      NOT NULL,
  user_id      VARCHAR(256),
  metric       VARCHAR(16)      NOT NULL,
  limit_value  DOUBLE PRECISION NOT NULL,
  quota_window VARCHAR(16)      NOT NULL,
  created_at   BIGINT           NOT NULL
);
CREATE INDEX quotas_tenant ON quotas (tenant_id);
