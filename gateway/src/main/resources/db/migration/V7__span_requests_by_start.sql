-- The span store's request ids are deleted by their start time, not by their trace (ADR 0031): an index keyed by the
-- random trace id made the writer touch one more B-tree page per trace and commit (the most expensive part of a
-- write), while one keyed by the start time grows at its end. Retention deletes a range of it, and checks only the
-- rows of the deleted traces' last spans (which start after the cut) against span_traces. Nothing is lost.
DROP INDEX span_requests_trace;
CREATE INDEX span_requests_start ON span_requests (start_ns);
