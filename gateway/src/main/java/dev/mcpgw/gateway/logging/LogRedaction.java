package dev.mcpgw.gateway.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence against a secret in a log line: code never logs credentials on purpose, but a message may
 * carry a library's text (an exception naming a URL, an upstream's error echoing its request). Bearer and basic
 * credentials, JWTs, {@code key=value} pairs whose key names a secret, and well-known API key shapes become
 * {@value #MASK}.
 */
public final class LogRedaction {
  /** What replaces a secret. */
  public static final String MASK = "****";

  private static final List<Pattern> VALUES = List.of(
      // Authorization: Bearer <token>, Basic <base64>: a credential has 8 characters or more, one of them not a
      // letter (so that "bearer tokens" and "basic auth" in prose stay)
      Pattern.compile("(?i)\\b(bearer|basic)(\\s+)(?=[A-Za-z]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}"),
      // password=..., "api_key": "...", token: ..., x-api-key: ...
      Pattern.compile("(?i)((?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
          + "|client[_-]?secret|authorization|credentials?|cookie)[\"']?\\s*[=:]\\s*[\"']?)(?!\\*\\*\\*\\*)"
          + "(?:(?:bearer|basic)\\s+)?[^\\s\"',;&}\\]]+"));
  private static final List<Pattern> WHOLE = List.of(
      // JWTs (header.payload.signature, base64url of a JSON object)
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"),
      // OpenAI/Anthropic-style, GitHub, Slack, AWS access key ids
      Pattern.compile("\\b(?:sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}"
          + "|AKIA[0-9A-Z]{16})\\b"),
      // userinfo in a URL: scheme://user:password@host
      Pattern.compile("(?<=://)[^/\\s:@]+:[^/\\s@]+(?=@)"));

  private LogRedaction() {}

  /** {@code text} with every secret it recognises replaced; {@code null} stays {@code null}. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Pattern p : WHOLE) {
      out = p.matcher(out).replaceAll(MASK);
    }
    Matcher bearer = VALUES.get(0).matcher(out);
    out = bearer.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    Matcher pairs = VALUES.get(1).matcher(out);
    out = pairs.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    return out;
  }
}
