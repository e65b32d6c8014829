package dev.mcpgw.gateway.plugin;

/** A plugin returned something the chain cannot use (a {@code null}, or an undeclared modification). */
final class PluginContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PluginContractException(String message) {
    super(message, null, false, false); // no stack: the chain made it, the plugin's frames are gone
  }
}
