package dev.mcpgw.observability.config;

/**
 * Span limits. Values longer than {@code attributeValueLength} characters are truncated by the SDK; payload capture
 * uses the same cap.
 *
 * @param attributeValueLength longest string attribute value on a span, in characters
 * @param attributeCount most attributes per span
 * @param eventCount most events per span
 * @param linkCount most links per span
 * @param eventAttributeCount most attributes per event
 * @param linkAttributeCount most attributes per link
 */
public record LimitsConfig(
    int attributeValueLength,
    int attributeCount,
    int eventCount,
    int linkCount,
    int eventAttributeCount,
    int linkAttributeCount) {

  public static LimitsConfig defaults() {
    return new LimitsConfig(12000, 128, 128, 128, 128, 128);
  }
}
