package dev.mcpgw.observability.internal.privacy;

/**
 * What one pass over a string tells about it: enough to rule out most masking patterns without running their
 * regexes. Most attribute values (method names, ids, tool names) rule out every pattern, so the common case costs
 * one scan instead of a dozen regex searches.
 */
final class TextTraits {

  final String text;
  final boolean at;
  final boolean quote;
  final boolean colon;
  final boolean equals;
  final boolean dash;
  /** A 'b' or 'B' (bearer), a 'J' (eyJ...), a 'K' (AKIA...), a "k-" (sk-...). */
  final boolean letterB;
  final boolean letterJ;
  final boolean letterK;
  final boolean kDash;
  final int digits;
  final int longestDigitRun;
  /** Runs of exactly four digits followed by a space or dash (grouped card numbers). */
  final int digitGroupsOfFour;
  /** Three digits, dash, two digits, dash (the start of an SSN). */
  final boolean ssnShape;

  private TextTraits(String text, int flags, int digits, int longestDigitRun, int digitGroupsOfFour) {
    this.text = text;
    this.at = (flags & AT) != 0;
    this.quote = (flags & QUOTE) != 0;
    this.colon = (flags & COLON) != 0;
    this.equals = (flags & EQUALS) != 0;
    this.dash = (flags & DASH) != 0;
    this.letterB = (flags & B) != 0;
    this.letterJ = (flags & J) != 0;
    this.letterK = (flags & K) != 0;
    this.kDash = (flags & K_DASH) != 0;
    this.ssnShape = (flags & SSN) != 0;
    this.digits = digits;
    this.longestDigitRun = longestDigitRun;
    this.digitGroupsOfFour = digitGroupsOfFour;
  }

  private static final int AT = 1;
  private static final int QUOTE = 1 << 1;
  private static final int COLON = 1 << 2;
  private static final int EQUALS = 1 << 3;
  private static final int DASH = 1 << 4;
  private static final int B = 1 << 5;
  private static final int J = 1 << 6;
  private static final int K = 1 << 7;
  private static final int K_DASH = 1 << 8;
  private static final int SSN = 1 << 9;

  static TextTraits of(String text) {
    int flags = 0;
    int digits = 0;
    int run = 0;
    int longestRun = 0;
    int groupsOfFour = 0;
    int runBeforeLastDash = -1;
    char previous = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        run++;
        longestRun = Math.max(longestRun, run);
        previous = c;
        continue;
      }
      if ((c == ' ' || c == '-') && run == 4) {
        groupsOfFour++;
      }
      switch (c) {
        case '@' -> flags |= AT;
        case '"' -> flags |= QUOTE;
        case ':' -> flags |= COLON;
        case '=' -> flags |= EQUALS;
        case '-' -> {
          flags |= DASH;
          if (previous == 'k') {
            flags |= K_DASH;
          }
          if (run == 2 && runBeforeLastDash == 3) {
            flags |= SSN;
          }
          runBeforeLastDash = run;
        }
        case 'b', 'B' -> flags |= B;
        case 'J' -> flags |= J;
        case 'K' -> flags |= K;
        default -> { }
      }
      if (c != '-') {
        runBeforeLastDash = -1;
      }
      run = 0;
      previous = c;
    }
    return new TextTraits(text, flags, digits, longestRun, groupsOfFour);
  }

  boolean contains(String literal) {
    return text.contains(literal);
  }

  boolean containsIgnoreCase(String lowerCaseLiteral) {
    int n = lowerCaseLiteral.length();
    char first = lowerCaseLiteral.charAt(0);
    char firstUpper = Character.toUpperCase(first);
    for (int i = 0; i + n <= text.length(); i++) {
      char c = text.charAt(i);
      // Compare the rest only where the first letter matches: regionMatches ignoring case is slow per call.
      if ((c == first || c == firstUpper) && text.regionMatches(true, i + 1, lowerCaseLiteral, 1, n - 1)) {
        return true;
      }
    }
    return false;
  }
}
