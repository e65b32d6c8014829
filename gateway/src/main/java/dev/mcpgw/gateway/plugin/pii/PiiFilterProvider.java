package dev.mcpgw.gateway.plugin.pii;

import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.gateway.plugin.PluginOptions;
import dev.mcpgw.gateway.plugin.PluginProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Kind {@code pii_filter}. Keys: {@code detect} (built-in detectors to use, default all), {@code sensitive_keys}
 * (key names whose values are always masked), {@code replacement} (default {@code [REDACTED]}; {@code {type}} in it
 * becomes the detector's name) and {@code patterns} (extra detectors: {@code name}, {@code regex}, optional
 * {@code replacement}).
 */
public final class PiiFilterProvider implements PluginProvider {
  public static final String KIND = "pii_filter";
  static final String DEFAULT_REPLACEMENT = "[REDACTED]";
  static final List<String> DEFAULT_SENSITIVE_KEYS = List.of("password", "passwd", "secret", "token", "api_key",
      "apikey", "access_key", "private_key", "authorization", "credential", "credentials", "cookie");
  static final String SENSITIVE_KEY_TYPE = "sensitive_key";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Plugin create(PluginConfig config, PluginOptions options) {
    options.allowOnly("detect", "sensitive_keys", "replacement", "patterns");
    List<String> detect = options.has("detect") ? options.textList("detect") : Detectors.TYPES;
    for (int i = 0; i < detect.size(); i++) {
      if (!Detectors.TYPES.contains(detect.get(i))) {
        throw options.invalid("detect[" + i + "]",
            "'" + detect.get(i) + "' is not one of " + String.join(", ", Detectors.TYPES));
      }
    }
    List<String> keys = options.has("sensitive_keys") ? options.textList("sensitive_keys") : DEFAULT_SENSITIVE_KEYS;
    String replacement = options.text("replacement", DEFAULT_REPLACEMENT);
    List<Detector> detectors = new ArrayList<>(Detectors.builtIn(detect, keys, t -> replacement.replace("{type}", t)));
    Set<String> names = new java.util.HashSet<>(Detectors.TYPES);
    for (PluginOptions p : options.mappings("patterns")) {
      p.allowOnly("name", "regex", "replacement");
      String name = p.requiredText("name", "a unique name for the pattern, used as {type} in the replacement");
      if (!names.add(name)) {
        throw p.invalid("name", "'" + name + "' is already used; allowed: a name that is not a built-in type or "
            + "another pattern's name");
      }
      String regex = p.requiredText("regex", "a Java regular expression");
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        // the description says what is wrong without echoing the whole expression
        throw p.invalid("regex", "not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
      }
      detectors.add(new Detector(name, pattern, p.text("replacement", replacement).replace("{type}", name)));
    }
    return new PiiFilterPlugin(detectors, keys, replacement.replace("{type}", SENSITIVE_KEY_TYPE));
  }
}
