package dev.mcpgw.gateway.plugin;

/**
 * The points in a request where plugins run, in the order a request meets them. The payload each hook sees is a JSON
 * object: {@code {"name", "arguments"}} for the pre hooks of tools and prompts, {@code {"uri"}} for
 * {@code RESOURCE_PRE_FETCH}, and the same plus {@code "result"} (the MCP result object) for the post hooks.
 */
public enum Hook {
  TOOL_PRE_INVOKE("tool_pre_invoke"),
  TOOL_POST_INVOKE("tool_post_invoke"),
  PROMPT_PRE_FETCH("prompt_pre_fetch"),
  PROMPT_POST_FETCH("prompt_post_fetch"),
  RESOURCE_PRE_FETCH("resource_pre_fetch"),
  RESOURCE_POST_FETCH("resource_post_fetch");

  private final String configName;

  Hook(String configName) {
    this.configName = configName;
  }

  /** The name used in {@code config/mcpgw.yaml} and in span names ({@code plugin.<hook>}). */
  public String configName() {
    return configName;
  }
}
