package dev.mcpgw.gateway.upstream;

import dev.mcpgw.gateway.store.UpstreamSpec;
import java.net.URI;

/**
 * Where one upstream lives, as its CLIENT spans describe it.
 *
 * @param name the registered name
 * @param transport the registered transport
 * @param address the host of an HTTP upstream; {@code null} for stdio
 * @param port the port of an HTTP upstream (the scheme's default when the URL has none); {@code -1} for stdio
 */
public record UpstreamTarget(String name, UpstreamSpec.Transport transport, String address, int port) {

  static UpstreamTarget of(UpstreamSpec spec, URI url) {
    if (url == null) {
      return new UpstreamTarget(spec.name(), spec.transport(), null, -1);
    }
    int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    String host = url.getHost();
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new UpstreamTarget(spec.name(), spec.transport(), host, port);
  }

  /** Whether messages travel over HTTP (trace context then also goes into headers). */
  public boolean http() {
    return transport != UpstreamSpec.Transport.STDIO;
  }
}
