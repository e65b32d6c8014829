package dev.mcpgw.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Counts the tokens of tool arguments and results with a real BPE tokenizer (jtokkit; the encoding is
 * {@code MCPGW_TOKEN_ENCODING}, {@code o200k_base} by default, the encoding of current OpenAI models). Counts are
 * estimates of what a calling model pays for: the arguments as the JSON it wrote, the result as the text that lands
 * in its context (the text of each content item, else the result's JSON). {@code o200k_base} is counted by the
 * gateway's own {@link O200kCounter} (exactly jtokkit's counts, about six times faster: jtokkit splits that encoding
 * with a general regular expression; ADR 0030), the other encodings by jtokkit. Thread-safe; never throws on a payload.
 */
public final class TokenCounter {
  /** The encoding when none is configured. */
  public static final String DEFAULT_ENCODING = "o200k_base";

  private final ToIntFunction<String> counter;
  private final String name;

  private TokenCounter(ToIntFunction<String> counter, String name) {
    this.counter = counter;
    this.name = name;
  }

  /** The encoding names accepted by {@link #create(String)}. */
  public static List<String> encodings() {
    return Arrays.stream(EncodingType.values()).map(EncodingType::getName).toList();
  }

  /**
   * @throws IllegalArgumentException when {@code encodingName} is not one of {@link #encodings()}
   */
  public static TokenCounter create(String encodingName) {
    Optional<EncodingType> type = EncodingType.fromName(encodingName.toLowerCase(Locale.ROOT));
    if (type.isEmpty()) {
      throw new IllegalArgumentException("unknown token encoding '" + encodingName + "'; allowed: " + encodings());
    }
    if (type.get() == EncodingType.O200K_BASE) {
      return new TokenCounter(new O200kCounter(O200kVocabulary.shared())::count, type.get().getName());
    }
    Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(type.get());
    return new TokenCounter(encoding::countTokensOrdinary, type.get().getName());
  }

  public String encoding() {
    return name;
  }

  /** The tokens of {@code text} (special tokens counted as ordinary text); 0 for null or empty. */
  public long count(String text) {
    return text == null || text.isEmpty() ? 0 : counter.applyAsInt(text);
  }

  /** The tokens of a tool call's {@code arguments}: their JSON text; 0 when absent. */
  public long arguments(JsonNode arguments) {
    return arguments == null || arguments.isMissingNode() || arguments.isNull() ? 0 : count(arguments.toString());
  }

  /**
   * The tokens of a tool result: the text of its content items (text, and the text of embedded resources), plus its
   * {@code structuredContent} as JSON; the whole result's JSON when it has neither.
   */
  public long result(JsonNode result) {
    if (result == null || result.isMissingNode() || result.isNull()) {
      return 0;
    }
    long tokens = 0;
    boolean found = false;
    JsonNode content = result.get("content");
    if (content != null && content.isArray()) {
      for (JsonNode item : content) {
        JsonNode text = item.get("text");
        if (text == null) {
          text = item.path("resource").get("text");
        }
        if (text != null && text.isTextual()) {
          tokens += count(text.textValue());
          found = true;
        }
      }
    }
    JsonNode structured = result.get("structuredContent");
    if (structured != null && !structured.isNull()) {
      tokens += count(structured.toString());
      found = true;
    }
    return found ? tokens : count(result.toString());
  }
}
