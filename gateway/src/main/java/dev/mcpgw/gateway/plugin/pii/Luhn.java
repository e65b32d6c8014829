package dev.mcpgw.gateway.plugin.pii;

/** The Luhn check digit test that every payment card number passes, so that other long numbers are left alone. */
final class Luhn {
  private Luhn() {}

  /** Whether the digits of {@code s} (other characters ignored) are 13 to 19 and pass the Luhn test. */
  static boolean isValid(String s) {
    int sum = 0;
    int count = 0;
    boolean doubled = false;
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
      count++;
    }
    return count >= 13 && count <= 19 && sum % 10 == 0;
  }
}
