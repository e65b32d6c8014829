package dev.mcpgw.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@code o200k_base} counter against jtokkit's own: the same count for every input of a generated
 * corpus and of hand-picked edge cases, and on a sample the same pieces as the encoding's regular expression, so that a
 * difference is named where it starts (pre-tokenizer or merge).
 */
class O200kCounterTest {
  /** The encoding's pattern as jtokkit compiles it (EncodingFactory.o200kBase, UNICODE_CHARACTER_CLASS). */
  private static final Pattern O200K = Pattern.compile(String.join("|",
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
          + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
          + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
      "\\p{N}{1,3}", " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*", "\\s*[\\r\\n]+", "\\s+(?!\\S)", "\\s+"),
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final Encoding JTOKKIT = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  private static final O200kVocabulary VOCABULARY = O200kVocabulary.shared();

  private final O200kCounter counter = new O200kCounter(VOCABULARY);
  /** Every piece of two bytes or more merges through the heap. */
  private final O200kCounter heapOnly = new O200kCounter(VOCABULARY, 2);

  private static final List<String> EDGE_CASES = List.of("", "a", " ", "  ", "\n", "\r\n", " \n", "\n ", "hello world",
      "Hello World", "HELLO WORLD", "hello  world", "hello \n world", "hello\u00A0world", " \u00A0hello", "\t\thello",
      "I'm", "I'M", "you're", "YOU'RE", "we'll", "it'S", "it'ſ", "it'\u212A", "'s", "''s", "a's's", "a'", "a''",
      "don't", "o'clock", "O'Neil", "rock'n'roll", "'", "' s", "x' s", "'re'", "HELLO's", "HeLLo'Ll", "ǅemal'd",
      "ǅ", "ǅǅ", "AǅB", "aǅb", "ǅa", "Aʰ", "AʰB", "ABʰCD", "ʰ", "ʰʰ", "ABC\u0301", "ABC\u0301D", "A\u0301B\u0301",
      "\u0301", " \u0301", "\u0301\u0301", "\u0301A", "1\u0301", "!\u0301", "\u0301!", "a\u0301'S", "ÀÉÎ", "àéî",
      "XMLHttpRequest", "getHTTPResponse", "iPhone", "İstanbul", "ﬁnance", "Ⅻ", "ⅫV", "1", "12", "123", "1234",
      "12345", "١٢٣٤", "𝟘𝟙𝟚𝟛𝟜", "1a2b", "a1", "3.14", "-1", "1/2", "...", "!!!", " !!!", "  !!!", "!/", "!/\n",
      "!\n/\n\r", "a/b/c", " /", "//", "http://x.y/z", "\r\n\r\n", "a\r\n\r\nb", " \r\n \r\n x", "x  \n  y",
      "x \t y", "x\t\ty", "   x", "x   ", "\u2028", "a\u2028b", "\u0085x", "\u000Bx", "\u200Bx", "\u200Dx",
      "😀", "😀😀", "a😀b", "👨‍👩‍👧‍👦", " 👍🏽", "🇩🇪🇫🇷", "\uD800", "\uDC00", "a\uD800b", "\uD800\uD800\uDC00",
      "\uDC00\uD800", "A\uD800", "\uD800'", "𝔘𝔫𝔦", "𐐀𐐨", " 𐐀𐐨's", "中文文本", "日本語のテキスト", "한국어 텍스트",
      "สวัสดีครับ", "नमस्ते दुनिया", "مرحبا بالعالم", "שלום עולם", "Привет, мир!", "{\"a\":1}",
      "<|endoftext|>", "<|endofprompt|> hi", "\u0000\u0001\u0002", "\uFEFFhello", "\uFFFF", "\uE000\uE001",
      "a".repeat(1000), "ab".repeat(700), " ".repeat(1000) + "x", "\n".repeat(300), "!".repeat(2000),
      "😀".repeat(300), "1".repeat(1001), "A".repeat(999) + "a", "中".repeat(777));

  @Test
  void everyCodePointIsClassedAsThePatternsCharacterClassesClassIt() {
    Matcher upper = Pattern.compile("[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]", Pattern.UNICODE_CHARACTER_CLASS)
        .matcher("");
    Matcher lower = Pattern.compile("[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]", Pattern.UNICODE_CHARACTER_CLASS).matcher("");
    Matcher letter = Pattern.compile("\\p{L}", Pattern.UNICODE_CHARACTER_CLASS).matcher("");
    Matcher number = Pattern.compile("\\p{N}", Pattern.UNICODE_CHARACTER_CLASS).matcher("");
    Matcher space = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS).matcher("");
    List<String> wrong = new ArrayList<>();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      String s = cp >= 0xD800 && cp <= 0xDFFF ? String.valueOf((char) cp) : Character.toString(cp);
      int expected = (upper.reset(s).matches() ? O200kSplitter.UPPER : 0)
          | (lower.reset(s).matches() ? O200kSplitter.LOWER : 0)
          | (letter.reset(s).matches() ? O200kSplitter.LETTER : 0)
          | (number.reset(s).matches() ? O200kSplitter.NUMBER : 0)
          | (space.reset(s).matches() ? O200kSplitter.SPACE : 0)
          | (cp == '\r' || cp == '\n' ? O200kSplitter.NEWLINE : 0);
      if (O200kSplitter.classify(cp) != expected && wrong.size() < 20) {
        wrong.add(Integer.toHexString(cp) + ": " + O200kSplitter.classify(cp) + " instead of " + expected);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theVocabularyHoldsEveryTokenOfTheEncodingAtItsRank() {
    assertThat(VOCABULARY.size()).isEqualTo(199_998);
    List<String> wrong = new ArrayList<>();
    IntArrayList one = new IntArrayList(1);
    for (int rank = 0; rank < VOCABULARY.size(); rank++) {
      one.clear();
      one.add(rank);
      byte[] bytes = JTOKKIT.decodeBytes(one);
      if (VOCABULARY.rank(bytes, 0, bytes.length) != rank && wrong.size() < 20) {
        wrong.add(rank + " -> " + VOCABULARY.rank(bytes, 0, bytes.length));
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(VOCABULARY.rank(new byte[] {(byte) 0xFF, (byte) 0xFE, 'q', 'z', 'x'}, 0, 5))
        .isEqualTo(O200kVocabulary.NONE);
  }

  @Test
  void handPickedEdgeCasesSplitAndCountAsJtokkitDoes() {
    for (String text : EDGE_CASES) {
      assertThat(pieces(text)).as(() -> "pieces of " + escaped(text)).isEqualTo(regexPieces(text));
      assertThat(counter.count(text)).as(() -> "tokens of " + escaped(text))
          .isEqualTo(JTOKKIT.countTokensOrdinary(text));
      assertThat(heapOnly.count(text)).as(() -> "heap tokens of " + escaped(text))
          .isEqualTo(JTOKKIT.countTokensOrdinary(text));
    }
  }

  @Test
  void aGeneratedCorpusOfEveryKindOfTextSplitsAsTheRegularExpression() {
    for (String text : new O200kCorpus(11).texts(3_000, 400)) {
      assertThat(pieces(text)).as(() -> "pieces of " + escaped(text)).isEqualTo(regexPieces(text));
    }
  }

  @Test
  void aGeneratedCorpusOfEveryKindOfTextCountsAsJtokkit() {
    O200kCorpus corpus = new O200kCorpus(42);
    List<String> texts = new ArrayList<>(corpus.texts(12_000, 300));
    texts.addAll(corpus.texts(100, 10_000));
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      int expected = JTOKKIT.countTokensOrdinary(text);
      assertThat(counter.count(text)).as(() -> "tokens of " + escaped(text)).isEqualTo(expected);
      if (i % 10 == 0) {
        assertThat(heapOnly.count(text)).as(() -> "heap tokens of " + escaped(text)).isEqualTo(expected);
      }
    }
  }

  @Test
  void megabyteInputsCountAsJtokkit() {
    O200kCorpus corpus = new O200kCorpus(7);
    List<String> texts = List.of(corpus.json(1 << 20), corpus.text(1 << 20),
        "QUJD".repeat(1 << 16), // base64 without white space: one long letter piece, merged through the heap
        "x".repeat(1 << 18), "{[(".repeat(90_000));
    for (String text : texts) {
      assertThat(counter.count(text)).as("tokens of %d chars starting %s", text.length(),
          escaped(text.substring(0, 40))).isEqualTo(JTOKKIT.countTokensOrdinary(text));
    }
  }

  @Test
  void oneCounterCountsFromManyThreadsAtOnceAsFromOne() {
    List<String> texts = new O200kCorpus(5).texts(2_000, 2_000);
    List<Integer> alone = texts.stream().map(counter::count).toList();
    List<Integer> together = texts.parallelStream().map(counter::count).toList();
    assertThat(together).isEqualTo(alone);
    assertThat(alone.stream().mapToLong(Integer::longValue).sum())
        .isEqualTo(texts.stream().mapToLong(JTOKKIT::countTokensOrdinary).sum());
  }

  private static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    for (int p = 0; p < text.length(); ) {
      int e = O200kSplitter.end(text, p);
      pieces.add(text.substring(p, e));
      p = e;
    }
    return pieces;
  }

  private static List<String> regexPieces(String text) {
    List<String> pieces = new ArrayList<>();
    Matcher m = O200K.matcher(text);
    int last = 0;
    while (m.find()) {
      if (m.start() != last) {
        pieces.add("<gap " + text.substring(last, m.start()) + ">");
      }
      pieces.add(m.group());
      last = m.end();
    }
    return pieces;
  }

  private static String escaped(String text) {
    StringBuilder b = new StringBuilder();
    String cut = text.length() > 300 ? text.substring(0, 300) + "..." : text;
    for (char c : cut.toCharArray()) {
      if (c < 0x20 || c > 0x7E) {
        b.append(String.format("\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
