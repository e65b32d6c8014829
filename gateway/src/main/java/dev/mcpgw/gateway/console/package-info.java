/**
 * The embedded observability console (issue 12): the query API under {@code /observability/} and the server-rendered
 * pages under {@code /console/}, over the span store ({@code dev.mcpgw.gateway.spanstore}) and, for the usage page,
 * the usage store through {@code dev.mcpgw.gateway.tenancy.UsageQueries} (as {@code GET /usage} reads it). Every
 * value from a span or the usage store is rendered as text ({@link dev.mcpgw.gateway.console.Html}); pages carry a
 * strict Content-Security-Policy.
 */
package dev.mcpgw.gateway.console;
