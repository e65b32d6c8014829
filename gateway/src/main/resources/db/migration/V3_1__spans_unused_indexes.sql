-- The span store's writes pay for every index (issue 12's store-on benchmark, docs/performance.md). The status and
-- minDurationMs filters of /observability/traces apply to whole traces (aggregates over their spans, in HAVING), so
-- the indexes on a single span's status and duration served no query: dropped.
DROP INDEX spans_status;
DROP INDEX spans_duration;
