package dev.mcpgw.gateway.store;

/**
 * The four kinds of definitions an upstream offers, with where each is stored and how MCP lists it.
 */
public enum ItemKind {
  TOOL("tools", "name", "tools/list", "tools", "tools"),
  RESOURCE("resources", "uri", "resources/list", "resources", "resources"),
  RESOURCE_TEMPLATE("resource_templates", "uriTemplate", "resources/templates/list", "resourceTemplates", "resources"),
  PROMPT("prompts", "name", "prompts/list", "prompts", "prompts");

  private final String table;
  private final String keyField;
  private final String listMethod;
  private final String resultField;
  private final String capability;

  ItemKind(String table, String keyField, String listMethod, String resultField, String capability) {
    this.table = table;
    this.keyField = keyField;
    this.listMethod = listMethod;
    this.resultField = resultField;
    this.capability = capability;
  }

  /** The table the items live in (a constant, never user input, so safe to splice into SQL). */
  String table() {
    return table;
  }

  /** The definition's field that identifies it within its upstream: {@code name}, {@code uri} or {@code uriTemplate}. */
  public String keyField() {
    return keyField;
  }

  /** The MCP method that lists this kind, e.g. {@code tools/list}. */
  public String listMethod() {
    return listMethod;
  }

  /** The array field of the list result, e.g. {@code resourceTemplates}. */
  public String resultField() {
    return resultField;
  }

  /** The server capability that must be declared for the list method to exist. */
  public String capability() {
    return capability;
  }
}
