-- One row per call in the common case (docs/adr/0034-span-store-one-row-per-call.md). A trace's line now carries the
-- chunk it was created with (spans, ChunkCodec's JSON as in span_chunks) and that chunk's first request id
-- (request_id, now indexed): a tools/call trace whose spans come in one write batch is one row, with three index
-- entries, instead of three rows (line, chunk, request id) with eight. Later chunks of a trace, and the other request
-- ids of its first chunk, go to span_chunks and span_requests as before. Lines written before this migration have
-- no spans here (NULL): their chunks and request ids are all in those tables. Nothing is converted or dropped.
ALTER TABLE span_traces ADD COLUMN spans TEXT;
CREATE INDEX span_traces_request ON span_traces (request_id);
