/**
 * The built-in {@code pii_filter} plugin: masks e-mail addresses, SSNs, Luhn-valid card numbers, phone numbers, bearer
 * tokens, API keys and values of sensitive keys in tool and prompt arguments and in the text of results.
 */
package dev.mcpgw.gateway.plugin.pii;
