package dev.mcpgw.gateway.plugin.ratelimit;

import dev.mcpgw.gateway.config.Durations;
import dev.mcpgw.gateway.config.InvalidSettingException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate: at most {@code permits} calls per {@code window}, written {@code 10/1s}, {@code 100/5m} or {@code 5/s}.
 *
 * @param permits calls allowed in one window, also the burst allowed after a quiet window
 * @param window the window length
 */
record RateLimit(int permits, Duration window) {
  static final String ALLOWED = "<calls>/<window> such as 10/1s, 100/5m or 5/s, with permits x window in nanoseconds "
      + "below 2^63 (e.g. at most 100000 per day)";
  private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\S+)\\s*");

  /**
   * @throws InvalidSettingException naming {@code key} when {@code value} is not a rate
   */
  static RateLimit parse(String key, String value) {
    Matcher m = FORM.matcher(value);
    if (!m.matches()) {
      throw new InvalidSettingException(key, "'" + value + "' is not " + ALLOWED);
    }
    int permits = Integer.parseInt(m.group(1));
    String w = m.group(2);
    Duration window = Durations.parse(key, w.matches("ms|s|m|h|d") ? "1" + w : w);
    if (permits < 1) {
      throw new InvalidSettingException(key, "'" + value + "' allows no call; " + ALLOWED);
    }
    try {
      Math.multiplyExact(window.toNanos(), (long) permits);
    } catch (ArithmeticException e) {
      throw new InvalidSettingException(key, "'" + value + "' is too large; " + ALLOWED);
    }
    return new RateLimit(permits, window);
  }

  @Override
  public String toString() {
    return permits + "/" + window;
  }
}
