package dev.mcpgw.gateway.console;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Epoch nanoseconds to and from what the API shows and takes. */
final class Times {
  private Times() {}

  static String iso(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
        .toString();
  }

  /** An ISO-8601 instant or epoch milliseconds as epoch nanoseconds; {@code null} when blank or not a time. */
  static Long parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return Long.parseLong(value) * 1_000_000L;
      }
      Instant i = Instant.parse(value);
      return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not an ISO-8601 instant or epoch milliseconds");
    }
  }
}
