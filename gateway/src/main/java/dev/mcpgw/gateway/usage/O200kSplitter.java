package dev.mcpgw.gateway.usage;

/**
 * The {@code o200k_base} pre-tokenizer written out by hand: cuts text into exactly the pieces that the encoding's
 * regular expression (as jtokkit compiles it, with {@code UNICODE_CHARACTER_CLASS}) matches one after the other,
 *
 * <pre>
 * [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * | [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * | \p{N}{1,3} | ' '?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
 * </pre>
 *
 * including the regex engine's backtracking (the greedy upper-case run gives back code points until the lower-case
 * run can start), on code points (a surrogate pair is one character, a lone surrogate is "other"). Every position
 * starts a match, so the pieces cover the text. Stateless.
 */
final class O200kSplitter {
  /** {@code [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]}: may lead a word. */
  static final int UPPER = 1;
  /** {@code [\p{Ll}\p{Lm}\p{Lo}\p{M}]}: may end a word. */
  static final int LOWER = 2;
  /** {@code \p{L}}. */
  static final int LETTER = 4;
  /** {@code \p{N}}. */
  static final int NUMBER = 8;
  /** {@code \s}: the Unicode White_Space property. */
  static final int SPACE = 16;
  /** {@code [\r\n]}. */
  static final int NEWLINE = 32;

  private static final byte[] BMP = new byte[1 << 16];

  static {
    for (int c = 0; c < BMP.length; c++) {
      BMP[c] = (byte) classify(c);
    }
  }

  private O200kSplitter() {}

  /** The class bits of a code point (a lone surrogate is "other": none). */
  static int classify(int cp) {
    int bits = 0;
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.TITLECASE_LETTER -> bits = UPPER | LETTER;
      case Character.LOWERCASE_LETTER -> bits = LOWER | LETTER;
      case Character.MODIFIER_LETTER, Character.OTHER_LETTER -> bits = UPPER | LOWER | LETTER;
      case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK ->
          bits = UPPER | LOWER;
      case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> bits = NUMBER;
      default -> bits = 0;
    }
    if (whiteSpace(cp)) {
      bits |= SPACE;
    }
    if (cp == '\r' || cp == '\n') {
      bits |= NEWLINE;
    }
    return bits;
  }

  /** The Unicode White_Space property, which is {@code \s} under {@code UNICODE_CHARACTER_CLASS}. */
  private static boolean whiteSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  /** The class of the code point at {@code i}. */
  private static int cls(String s, int i, int n) {
    char c = s.charAt(i);
    if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
      return BMP[c];
    }
    return classify(Character.toCodePoint(c, s.charAt(i + 1)));
  }

  /** The index after the code point at {@code i}. */
  private static int next(String s, int i, int n) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))
        ? i + 2 : i + 1;
  }

  /** The start of the code point before {@code i}, not going below {@code from}. */
  private static int previous(String s, int i, int from) {
    return i - 2 >= from && Character.isLowSurrogate(s.charAt(i - 1)) && Character.isHighSurrogate(s.charAt(i - 2))
        ? i - 2 : i - 1;
  }

  /** The end of the run of code points having any of {@code bits}, from {@code i}. */
  private static int run(String s, int i, int n, int bits) {
    while (i < n) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if ((BMP[c] & bits) == 0) {
          return i;
        }
        i++;
      } else {
        if ((cls(s, i, n) & bits) == 0) {
          return i;
        }
        i = next(s, i, n);
      }
    }
    return i;
  }

  /** The end of the piece that starts at {@code p} (below {@code s.length()}). */
  static int end(String s, int p) {
    int n = s.length();
    int c = cls(s, p, n);
    if ((c & (NEWLINE | NUMBER)) == 0) {
      int e = word(s, p, n, c);
      if (e >= 0) {
        return e;
      }
      e = capitalWord(s, p, n, c);
      if (e >= 0) {
        return e;
      }
    }
    if ((c & NUMBER) != 0) {
      int e = p;
      for (int k = 0; k < 3 && e < n && (cls(s, e, n) & NUMBER) != 0; k++) {
        e = next(s, e, n);
      }
      return e;
    }
    if (s.charAt(p) == ' ' && p + 1 < n && other(cls(s, p + 1, n))) {
      return punctuation(s, p + 1, n);
    }
    if (other(c)) {
      return punctuation(s, p, n);
    }
    // white space (every other class is taken above)
    int e = run(s, p, n, SPACE);
    for (int i = e - 1; i >= p; i--) { // \s*[\r\n]+ : up to the last line break of the run
      char ch = s.charAt(i);
      if (ch == '\r' || ch == '\n') {
        return i + 1;
      }
    }
    if (e == n || e - p == 1) { // \s+(?!\S) at the end of the text, else \s+ for a single space
      return e;
    }
    return e - 1; // \s+(?!\S): the last white space goes with what follows
  }

  /** {@code [^\s\p{L}\p{N}]}. */
  private static boolean other(int c) {
    return (c & (SPACE | LETTER | NUMBER)) == 0;
  }

  /** {@code [^\s\p{L}\p{N}]+[\r\n/]*} from {@code q}, where a character of the first class stands. */
  private static int punctuation(String s, int q, int n) {
    int e = q;
    while (e < n && other(cls(s, e, n))) {
      e = next(s, e, n);
    }
    while (e < n) {
      char ch = s.charAt(e);
      if (ch != '\r' && ch != '\n' && ch != '/') {
        break;
      }
      e++;
    }
    return e;
  }

  /** The first alternative: {@code prefix? UPPER* LOWER+ contraction?}; -1 when it does not match at {@code p}. */
  private static int word(String s, int p, int n, int c) {
    if ((c & LETTER) == 0) { // [^\r\n\p{L}\p{N}]: taken first, given back if the rest fails
      int e = wordAfterPrefix(s, next(s, p, n), n);
      if (e >= 0) {
        return e;
      }
    }
    return wordAfterPrefix(s, p, n);
  }

  private static int wordAfterPrefix(String s, int q, int n) {
    int e = run(s, q, n, UPPER);
    if (e < n && (cls(s, e, n) & LOWER) != 0) {
      return contraction(s, run(s, e, n, LOWER), n);
    }
    // the greedy UPPER* gives back code points until LOWER+ can start
    for (int i = e; i > q; ) {
      i = previous(s, i, q);
      if ((cls(s, i, n) & LOWER) != 0) {
        return contraction(s, run(s, i, n, LOWER), n);
      }
    }
    return -1;
  }

  /** The second alternative: {@code prefix? UPPER+ LOWER* contraction?}; -1 when it does not match at {@code p}. */
  private static int capitalWord(String s, int p, int n, int c) {
    if ((c & LETTER) == 0) {
      int q = next(s, p, n);
      if (q < n && (cls(s, q, n) & UPPER) != 0) {
        return contraction(s, run(s, run(s, q, n, UPPER), n, LOWER), n);
      }
    }
    if ((c & UPPER) != 0) {
      return contraction(s, run(s, run(s, p, n, UPPER), n, LOWER), n);
    }
    return -1;
  }

  /** {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)?} at {@code i} (Unicode case folding, as the pattern compiles). */
  private static int contraction(String s, int i, int n) {
    if (i + 1 >= n || s.charAt(i) != '\'') {
      return i;
    }
    switch (fold(s.charAt(i + 1))) {
      case 's', 't', 'm', 'd' -> {
        return i + 2;
      }
      case 'r' -> {
        return i + 2 < n && fold(s.charAt(i + 2)) == 'e' ? i + 3 : i;
      }
      case 'v' -> {
        return i + 2 < n && fold(s.charAt(i + 2)) == 'e' ? i + 3 : i;
      }
      case 'l' -> {
        return i + 2 < n && fold(s.charAt(i + 2)) == 'l' ? i + 3 : i;
      }
      default -> {
        return i;
      }
    }
  }

  private static int fold(char c) {
    return c < 0x80 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : Character.toLowerCase(Character.toUpperCase(c));
  }
}
