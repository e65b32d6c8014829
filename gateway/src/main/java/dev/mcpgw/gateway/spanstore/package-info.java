/**
 * The embedded span store (issue 12): an exporter beside the configured ones that encodes finished, masked spans
 * into their chunk elements (format 2, ADR 0035) and queues them, a writer thread that stamps each local request tree with its tenant and writes batches to the registry database (one
 * line per trace and tenant in {@code span_traces} carrying the trace's first chunk, later chunks in
 * {@code span_chunks}: ADRs 0027 and 0034),
 * retention by age and count in the background, and the queries behind {@code /observability/*} and the console.
 * Nothing here runs on the request path: the exporter is called by the SDK's batch processor and only enqueues.
 */
package dev.mcpgw.gateway.spanstore;
