/**
 * The embedded span store (issue 12): an exporter beside the configured ones that queues finished, masked spans, a
 * writer thread that stamps each local request tree with its tenant and writes batches to the registry database,
 * retention by age and count in the background, and the queries behind {@code /observability/*} and the console.
 * Nothing here runs on the request path: the exporter is called by the SDK's batch processor and only enqueues.
 */
package dev.mcpgw.gateway.spanstore;
