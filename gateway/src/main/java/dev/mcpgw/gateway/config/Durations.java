package dev.mcpgw.gateway.config;

import dev.mcpgw.observability.config.DurationGrammar;
import java.time.Duration;

/**
 * The gateway's settings, plugin options and command line read durations in the one grammar of
 * {@link DurationGrammar} ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601); this class
 * only turns its errors into {@link InvalidSettingException}s naming the key.
 */
public final class Durations {
  private Durations() {}

  /**
   * @throws InvalidSettingException naming {@code key} when {@code value} is not a positive duration
   */
  public static Duration parse(String key, String value) {
    try {
      return DurationGrammar.parsePositive(key, value);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(key, e.getMessage());
    }
  }
}
