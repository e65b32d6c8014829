-- The span store's second shape (docs/adr/0027-span-store-trace-chunks.md): one row per trace chunk instead of one
-- row per span. Written once for SQLite and PostgreSQL.
--
-- Upgrading DROPS the spans stored until now (table spans of V3): they are observability data with a retention of
-- hours, and converting them would take as long as the store took to write them. Registry data is not touched.
DROP TABLE spans;

-- One line of the trace list per trace and tenant (a client that sends another tenant's trace id makes a request tree
-- of its own tenant in that trace: each tenant has its own line). Upserted by the writer as the trace's chunks
-- arrive: start is the earliest span start, end the latest span end, failed whether any span failed, name the name of
-- the root span (else the earliest span: name_order is the start, minus 2^62 for a root), request id (shown in the
-- list; the requestId filter reads span_requests), user and tool the first values seen. calls holds one line per
-- SERVER span with a tool or method and per CLIENT span with an upstream
-- ("kind<TAB>key<TAB>start_ns<TAB>duration_ns<TAB>failed"), for /observability/stats. tenant_id '' means no tenant
-- (seen by platform admins only). Times are epoch nanoseconds.
CREATE TABLE span_traces (
  trace_id    VARCHAR(32)  NOT NULL,
  tenant_id   VARCHAR(64)  NOT NULL,
  start_ns    BIGINT       NOT NULL,
  end_ns      BIGINT       NOT NULL,
  failed      INTEGER      NOT NULL,
  name        VARCHAR(512) NOT NULL,
  name_order  BIGINT       NOT NULL,
  request_id  VARCHAR(256),
  user_id     VARCHAR(256),
  tool_name   VARCHAR(256),
  span_count  INTEGER      NOT NULL,
  calls       TEXT         NOT NULL,
  PRIMARY KEY (trace_id, tenant_id)
);
CREATE INDEX span_traces_start ON span_traces (start_ns);
-- (no index on (tenant_id, start_ns): a tenant's list walks span_traces_start newest first; one B-tree fewer per trace)

-- Every call of a trace by its request id (an agent run is one trace with many tools/call): one row per request id of
-- the spans of a chunk that carry one (the gateway's SERVER spans; a call's HTTP and MCP spans carry the same id: one
-- row), written with the chunk. Deleted with their trace's line, found by its trace id. A row stands for at least one
-- span counted in its line's span_count, so the span-count retention bounds these rows too (ADR 0027).
CREATE TABLE span_requests (
  request_id  VARCHAR(256) NOT NULL,
  trace_id    VARCHAR(32)  NOT NULL,
  tenant_id   VARCHAR(64)  NOT NULL,
  start_ns    BIGINT       NOT NULL
);
CREATE INDEX span_requests_request ON span_requests (request_id);
CREATE INDEX span_requests_trace ON span_requests (trace_id);

-- The spans of one trace and tenant that one write batch held, serialised together (ChunkCodec: a JSON array of
-- arrays). A trace usually has one or two chunks. Deleted with their trace's line. Found through the line: a chunk of a
-- trace starts within the trace's [start_ns, end_ns], so the trace view reads that range of span_chunks_start (start
-- times arrive nearly in order: the index grows at its end, where one keyed by the random trace id would touch a page
-- per chunk).
CREATE TABLE span_chunks (
  trace_id    VARCHAR(32)  NOT NULL,
  tenant_id   VARCHAR(64)  NOT NULL,
  start_ns    BIGINT       NOT NULL,
  span_count  INTEGER      NOT NULL,
  spans       TEXT         NOT NULL
);
CREATE INDEX span_chunks_start ON span_chunks (start_ns);
