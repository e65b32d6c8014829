package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.InvalidSettingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the {@code plugins:} list into {@link PluginConfig}s, naming the key path of every invalid value. */
final class PluginEntryReader {
  static final String SECTION = "plugins";
  private static final String[] KEYS = {"name", "kind", "priority", "mode", "on_error", "hooks", "config"};

  private PluginEntryReader() {}

  /** One entry read from the file, with the key path of its {@code config:} mapping. */
  record Entry(PluginConfig config, PluginOptions options, String path) {}

  /** The entries in file order; empty for a missing, null or empty section. */
  static List<Entry> read(JsonNode section) {
    if (section == null || section.isMissingNode() || section.isNull()) {
      return List.of();
    }
    if (!section.isArray()) {
      throw new InvalidSettingException(SECTION, "must be a list of plugin entries, not a " + PluginOptions.describe(section));
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < section.size(); i++) {
      String path = SECTION + "[" + i + "]";
      PluginOptions o = PluginOptions.of(path, section.get(i)).allowOnly(KEYS);
      String kind = o.requiredText("kind", "the kind of a built-in (rate_limiter, deny_list, pii_filter) or of a "
          + "PluginProvider on the class path");
      String name = o.text("name", kind);
      String earlier = names.putIfAbsent(name, path);
      if (earlier != null) {
        throw o.invalid("name", "'" + name + "' is already used by " + earlier + "; allowed: a name unique among "
            + "the plugins (the name defaults to the kind)");
      }
      PluginConfig config = PluginConfig.builder(name, kind)
          .priority(o.integer("priority", PluginConfig.DEFAULT_PRIORITY, Integer.MIN_VALUE, Integer.MAX_VALUE))
          .mode(enumValue(o, "mode", PluginConfig.Mode.ENFORCE, PluginConfig.Mode.values()))
          .onError(enumValue(o, "on_error", PluginConfig.OnError.IGNORE, PluginConfig.OnError.values()))
          .hooks(hooks(o))
          .config(o.mapping("config").raw())
          .build();
      entries.add(new Entry(config, o.mapping("config"), path));
    }
    return entries;
  }

  private static <E extends Enum<E>> E enumValue(PluginOptions o, String key, E defaultValue, E[] values) {
    String[] allowed = Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    String v = o.oneOf(key, allowed[defaultValue.ordinal()], allowed);
    return values[Arrays.asList(allowed).indexOf(v)];
  }

  private static Set<Hook> hooks(PluginOptions o) {
    List<String> names = o.textList("hooks");
    Set<Hook> hooks = EnumSet.noneOf(Hook.class);
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      hooks.add(Arrays.stream(Hook.values()).filter(h -> h.configName().equals(n)).findFirst()
          .orElseThrow(() -> new InvalidSettingException(o.pathOf("hooks"), "'" + n + "' is not one of " + allHooks())));
    }
    return hooks;
  }

  static String allHooks() {
    return Arrays.stream(Hook.values()).map(Hook::configName).collect(Collectors.joining(", "));
  }
}
