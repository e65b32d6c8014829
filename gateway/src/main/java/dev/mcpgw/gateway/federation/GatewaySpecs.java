package dev.mcpgw.gateway.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.RequestFields;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** Parses and validates the body of {@code POST /gateways}. */
final class GatewaySpecs {
  private static final Set<String> FIELDS = Set.of("name", "url", "transport", "command", "args", "env", "headers",
      "credentials");

  private GatewaySpecs() {}

  static UpstreamSpec parse(ObjectNode body) {
    RequestFields f = RequestFields.of(body, FIELDS);
    String name = f.name("name");
    String transportName = f.requiredString("transport");
    UpstreamSpec.Transport transport = UpstreamSpec.Transport.fromWireName(transportName);
    if (transport == null) {
      throw ApiException.badRequest("transport",
          "'transport' is invalid; allowed: streamablehttp, statelesshttp, sse, stdio");
    }
    String url = f.optionalString("url");
    String command = f.optionalString("command");
    if (transport == UpstreamSpec.Transport.STDIO) {
      if (command == null || command.isBlank()) {
        throw ApiException.badRequest("command", "'command' is required for transport stdio");
      }
      if (url != null) {
        throw ApiException.badRequest("url", "'url' is not used by transport stdio; remove it");
      }
    } else {
      if (url == null || url.isBlank()) {
        throw ApiException.badRequest("url", "'url' is required for transport " + transport.wireName());
      }
      checkHttpUrl(url);
      if (command != null || f.has("args") || f.has("env")) {
        throw ApiException.badRequest(command != null ? "command" : f.has("args") ? "args" : "env",
            "'command', 'args' and 'env' are only for transport stdio");
      }
    }
    UpstreamSpec.Credentials credentials = UpstreamSpec.Credentials.SHARED;
    String credentialsName = f.optionalString("credentials");
    if (credentialsName != null) {
      credentials = UpstreamSpec.Credentials.fromWireName(credentialsName);
      if (credentials == null) {
        throw ApiException.badRequest("credentials", "'credentials' is invalid; allowed: shared, per-user");
      }
      if (credentials == UpstreamSpec.Credentials.PER_USER && transport == UpstreamSpec.Transport.STDIO) {
        throw ApiException.badRequest("credentials", "'credentials': 'per-user' is for streamablehttp and sse "
            + "upstreams (a user's credential is a set of HTTP headers)");
      }
    }
    return new UpstreamSpec(name, transport, url, command, f.stringList("args"), f.stringMap("env"),
        f.stringMap("headers"), credentials);
  }

  private static void checkHttpUrl(String url) {
    try {
      URI u = new URI(url);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw ApiException.badRequest("url", "'url' must be an absolute http:// or https:// URL");
  }

}
