package dev.mcpgw.observability.config;

/**
 * A setting as written, with the key it came from (environment variable or full YAML path) so errors can name it.
 *
 * @param key {@code OTEL_...} or {@code observability....}
 * @param value the trimmed, non-blank text
 */
record RawValue(String key, String value) {}
