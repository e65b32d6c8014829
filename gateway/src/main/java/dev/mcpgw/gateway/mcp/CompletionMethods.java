package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import java.util.Optional;

/**
 * {@code completion/complete}: argument completion for a prompt or a resource template, asked of the upstream that
 * owns it under the name (or URI template) it knows. Gateway-local prompts and resources offer no completions, which
 * MCP answers with an empty list rather than an error.
 */
final class CompletionMethods {
  private final Catalog catalog;
  private final UpstreamForwarder forwarder;

  CompletionMethods(Catalog catalog, UpstreamForwarder forwarder) {
    this.catalog = catalog;
    this.forwarder = forwarder;
  }

  JsonNode complete(ObjectNode params, Exchange exchange) {
    ObjectNode ref = Params.optionalObject(params, "ref");
    if (ref == null) {
      throw RpcException.invalidParams("completion/complete needs 'ref'", "params.ref");
    }
    if (Params.optionalObject(params, "argument") == null) {
      throw RpcException.invalidParams("completion/complete needs 'argument'", "params.argument");
    }
    String type = refString(ref, "type");
    CatalogEntry entry;
    String refField;
    switch (type) {
      case "ref/prompt" -> {
        String name = refString(ref, "name");
        entry = catalog.prompt(exchange.scope(), name)
            .orElseThrow(() -> RpcException.invalidParams("Unknown prompt: " + name, "params.ref.name"));
        refField = "name";
      }
      case "ref/resource" -> {
        String uri = refString(ref, "uri");
        entry = template(exchange, uri).or(() -> catalog.resource(exchange.scope(), uri))
            .orElseThrow(() -> RpcException.invalidParams("Unknown resource or template: " + uri, "params.ref.uri"));
        refField = "uri";
      }
      default -> throw RpcException.invalidParams("Unknown reference type: " + type
          + " (expected ref/prompt or ref/resource)", "params.ref.type");
    }
    if (entry.isLocal()) {
      ObjectNode result = JsonRpc.MAPPER.createObjectNode();
      result.putObject("completion").put("total", 0).put("hasMore", false).putArray("values");
      return result;
    }
    ObjectNode upstreamParams = params.deepCopy();
    ((ObjectNode) upstreamParams.get("ref")).put(refField, entry.originalName());
    return forwarder.forward(entry, "completion/complete", upstreamParams, exchange);
  }

  private static String refString(ObjectNode ref, String field) {
    JsonNode v = ref.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw RpcException.invalidParams("'params.ref." + field + "' must be a non-empty string", "params.ref." + field);
    }
    return v.textValue();
  }

  /** The template clients named by its URI template, which is how completion refers to templates. */
  private Optional<CatalogEntry> template(Exchange exchange, String uriTemplate) {
    return catalog.resourceTemplates(exchange.scope()).stream()
        .filter(t -> t.exposedName().equals(uriTemplate))
        .findFirst();
  }
}
