/**
 * Immutable observability configuration and its loader. The records here are the one validated picture of what the
 * operator asked for: environment variables (docs/configuration.md) override {@code config/observability.yaml},
 * which overrides the defaults. Everything is checked once at start-up so that a typo fails loudly with the key and
 * the allowed values, instead of silently exporting nothing at run time.
 */
package dev.mcpgw.observability.config;
