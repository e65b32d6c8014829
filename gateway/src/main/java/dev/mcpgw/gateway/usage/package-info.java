/**
 * Usage accounting: how many tokens a call's payloads hold ({@link dev.mcpgw.gateway.usage.TokenCounter}, a real
 * tokenizer). It knows nothing of spans or of the request path; {@code trace} puts the counts on spans.
 */
package dev.mcpgw.gateway.usage;
