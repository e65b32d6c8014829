package dev.mcpgw.gateway.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated text for the differential test of {@link O200kCounter}, from a fixed seed: random code points of every
 * plane (unassigned, private use and lone surrogates included), and fragments of the kinds that stress the
 * pre-tokenizer: words of every case with apostrophes anywhere, title-case and modifier letters, combining marks,
 * digits of many scripts, CJK, emoji with ZWJ and skin tones, every white space character, {@code \r\n} runs, tabs,
 * punctuation and slashes, JSON documents like tool arguments and results, source code and URLs.
 */
final class O200kCorpus {
  private static final String[] WORDS = {"the", "The", "THE", "gateway", "Gateway", "GATEWAY", "tool", "McpGw",
      "iPhone", "XMLHttpRequest", "naïve", "Ünïcödé", "straße", "STRASSE", "Ǆemal", "ǅemal", "ǲ", "ᾈ", "İstanbul",
      "ıi", "ſ", "Ωμέγα", "Привет", "мир", "שלום", "مرحبا", "नमस्ते", "ক্ষ", "สวัสดี", "こんにちは", "カタカナ", "中文文本",
      "한국어", "ʰʲʷ", "ˆˇ", "aʰb", "Aʰ", "ʰA", "xᵃ", "ⓐⓑ", "Ⅻ", "ⅻ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝐀𝐁𝐜", "𐐀𐐨", "𞤀𞤢", "ꭰꮿ", "ǈj",
      "a\u0301", "A\u0301\u0302", "\u0301", "\u0301a", "e\u0308\u0308", "Ä\u20DD", "क\u093F", "\u093F\u093F"};
  private static final String[] APOSTROPHES = {"'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'rE", "'ve", "'VE", "'m",
      "'M", "'ll", "'LL", "'lL", "'d", "'D", "'", "''", "'x", "'r", "'v", "'l", "'ſ", "'ﬅ", "'ß", "'K",
      "'\u212A", "'\u017F", "'\u0301",
      "’s", "'s'", "'ll'", "'d'd", "'s's", "'1", "' ", "'\n", "'é", "'İ"};
  private static final String[] NUMBERS = {"0", "7", "42", "123", "1234", "12345678", "3.14159", "1,000,000", "٠١٢٣٤",
      "०१२३", "০১২৩", "๐๑๒", "０１２３", "𝟘𝟙𝟚𝟛", "𝟎𝟏", "½¾", "²³", "①②③④", "ⅠⅡⅢ", "〇", "𐒠𐒡", "1a", "a1", "A1b2", "1e10",
      "0x7F", "-5", "+3.5e-2"};
  private static final String[] SPACES = {" ", "  ", "   ", "\t", "\t\t", "\n", "\r\n", "\r\n\r\n", "\n\n\n", "\r",
      " \n", "\n ", " \r\n ", "\t\n\t", "\u00A0", "\u00A0\u00A0", "\u2009", "\u3000", "\u2028", "\u2029", "\u0085",
      "\u000B", "\u000C", "\u1680", "\u202F", "\u205F", "\u200B", " \u00A0 ", "\n\u00A0", "\u00A0\n"};
  private static final String[] PUNCTUATION = {".", ",", "!", "?", "...", "--", "—", "–", "(", ")", "[", "]", "{", "}",
      "<", ">", "/", "//", "///", "/\n", "!/\n/", "\\", "\"", "“", "”", "«", "»", "@", "#", "$", "%", "^", "&", "*",
      "_", "=", "+", "|", "~", "`", ":", ";", "€", "£", "©", "®", "™", "°", "§", "¶", "•", "→", "⇒", "∑", "√", "∞", "♥",
      "😀", "👍", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "❤️", "🇩🇪", "\u200D", "\u200C", "\uFEFF", "\u2060", "\uE000", "\uDB80\uDC00",
      "\uD800", "\uDC00", "\uDBFF", "\uDFFF\uD800", "\u0378", "\uFFFF", "\u0000", "\u0007", "\u001B[0m", "\u007F"};
  private static final String[] SNIPPETS = {
      "{\"query\":\"weather in Paris\",\"limit\":10,\"units\":\"metric\"}",
      "{\"content\":[{\"type\":\"text\",\"text\":\"Echo: hello world\"}],\"isError\":false}",
      "{\"jsonrpc\":\"2.0\",\"id\":17,\"method\":\"tools/call\",\"params\":{\"name\":\"everything-echo\"}}",
      "{\"a\":[1,2,3,{\"b\":null,\"c\":true,\"d\":-1.5e3}],\"e\":\"\\u00e9\\n\\t\"}",
      "public static void main(String[] args) {\n    System.out.println(\"Hello, \" + args[0]);\n}\n",
      "def f(x):\n\tif x > 0:\n\t\treturn x ** 2  # square\n\treturn -x\n",
      "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }",
      "SELECT id, name FROM users WHERE tenant_id = 'acme' AND role <> 'ADMIN';",
      "https://example.com/path/to/resource?query=a%20b&x=1#frag",
      "http://localhost:4444/mcp/servers/everything/sse",
      "file:///tmp/a/b/c.txt", "user@example.com", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc-_123",
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "<html><body class=\"x\">Hi &amp; bye</body></html>", "# Heading\n\n- item one\n- item two\n\n```js\nx();\n```",
      "I'm, you're, they've, we'll, he'd, it's, don't, CAN'T, WE'LL, O'Neil, rock'n'roll", "a\r\nb\r\n\r\nc\n\n",
      "line one  \n  line two\t\t\nend   ", "2026-12-06T17:13:48Z", "ID a9f3-77c1 v1.2.3", "$1,234.56 (3.5%)"};

  private final Random random;

  O200kCorpus(long seed) {
    this.random = new Random(seed);
  }

  /** {@code count} texts of up to about {@code maxLength} characters. */
  List<String> texts(int count, int maxLength) {
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      texts.add(text(1 + random.nextInt(maxLength)));
    }
    return texts;
  }

  /** One text of about {@code length} characters, its fragments of a kind chosen at random. */
  String text(int length) {
    StringBuilder b = new StringBuilder(length + 64);
    int style = random.nextInt(4);
    while (b.length() < length) {
      switch (style == 0 ? random.nextInt(10) : style == 1 ? pick(new int[] {0, 0, 0, 2, 3, 4, 4, 5, 8})
          : style == 2 ? pick(new int[] {0, 1, 3, 7, 8, 8}) : random.nextInt(9)) {
        case 0 -> b.append(WORDS[random.nextInt(WORDS.length)]);
        case 1 -> b.append(APOSTROPHES[random.nextInt(APOSTROPHES.length)]);
        case 2 -> b.append(NUMBERS[random.nextInt(NUMBERS.length)]);
        case 3 -> b.append(SPACES[random.nextInt(SPACES.length)]);
        case 4 -> b.append(PUNCTUATION[random.nextInt(PUNCTUATION.length)]);
        case 5 -> b.append(SNIPPETS[random.nextInt(SNIPPETS.length)]);
        case 6 -> randomCodePoints(b, 1 + random.nextInt(6));
        case 7 -> b.append(mixedCase(WORDS[random.nextInt(WORDS.length)]));
        case 8 -> letters(b, 1 + random.nextInt(8));
        default -> b.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
      }
    }
    return b.toString();
  }

  /** Letters of every case class and marks, run together: upper-case runs ending in marks or modifier letters. */
  private void letters(StringBuilder b, int count) {
    for (int i = 0; i < count; i++) {
      b.append(switch (random.nextInt(9)) {
        case 0, 1 -> "ABCDEFGHIJ".charAt(random.nextInt(10));
        case 2 -> "abcdefghij".charAt(random.nextInt(10));
        case 3 -> "ǅǈǋǲᾈᾉ".charAt(random.nextInt(6)); // title case
        case 4 -> "ʰʲˆˇ々ー".charAt(random.nextInt(6)); // modifier letters
        case 5 -> "\u0301\u0308\u20DD\u093F\u0903".charAt(random.nextInt(5)); // marks
        case 6 -> "中あא".charAt(random.nextInt(3)); // other letters
        case 7 -> "ÀÉÎÕÜ".charAt(random.nextInt(5));
        default -> "'sdtmlrve".charAt(random.nextInt(9));
      });
    }
  }

  private int pick(int[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  private String mixedCase(String word) {
    StringBuilder b = new StringBuilder();
    word.codePoints().forEach(cp -> b.appendCodePoint(random.nextBoolean() ? Character.toUpperCase(cp)
        : Character.toLowerCase(cp)));
    return b.toString();
  }

  /** Code points from every plane: ASCII, Latin and other BMP scripts, surrogates alone, astral planes, private use. */
  private void randomCodePoints(StringBuilder b, int count) {
    for (int i = 0; i < count; i++) {
      int cp = switch (random.nextInt(8)) {
        case 0 -> random.nextInt(0x80);
        case 1 -> 0x80 + random.nextInt(0x780);
        case 2 -> random.nextInt(0x10000);
        case 3 -> 0xD800 + random.nextInt(0x800); // a lone surrogate
        case 4 -> 0x10000 + random.nextInt(0x20000); // SMP and SIP: emoji, math, historic scripts, CJK extensions
        case 5 -> random.nextInt(0x110000);
        case 6 -> 0x0300 + random.nextInt(0x70); // combining marks
        default -> 0x4E00 + random.nextInt(0x5200); // CJK
      };
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        b.append((char) cp);
      } else {
        b.appendCodePoint(cp);
      }
    }
  }

  /** A JSON array of {@code approximateBytes} of objects like tool results. */
  String json(int approximateBytes) {
    StringBuilder b = new StringBuilder(approximateBytes + 256).append('[');
    while (b.length() < approximateBytes) {
      b.append("{\"id\":").append(random.nextInt(1_000_000)).append(",\"name\":\"")
          .append(WORDS[random.nextInt(WORDS.length)]).append(' ').append(WORDS[random.nextInt(WORDS.length)])
          .append("\",\"score\":").append(random.nextDouble()).append(",\"tags\":[\"")
          .append(PUNCTUATION[random.nextInt(PUNCTUATION.length)].replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\",\"").append(NUMBERS[random.nextInt(NUMBERS.length)]).append("\"],\"text\":\"")
          .append(SNIPPETS[random.nextInt(SNIPPETS.length)].replace("\\", "\\\\").replace("\"", "\\\"")
              .replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r"))
          .append("\"},\n");
    }
    return b.append("{}]").toString();
  }
}
