package dev.mcpgw.gateway.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding protection by the {@code Host} header: a page of {@code evil.example} whose name an attacker points at
 * 127.0.0.1 reaches the gateway with {@code Host: evil.example}, and is refused. Admitted: the loopback names, the
 * bind address (for a wildcard bind, the machine's name and interface addresses too) and {@code MCPGW_ALLOWED_HOSTS};
 * {@code *} admits every host. The port is not compared. A request without {@code Host} (HTTP/1.0) passes: browsers
 * always send one.
 */
final class HostPolicy {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
  private final Set<String> allowed;
  private final boolean any;

  private HostPolicy(Set<String> allowed, boolean any) {
    this.allowed = Set.copyOf(allowed);
    this.any = any;
  }

  /**
   * @param bindHost the address the server listens on ({@code MCPGW_HOST})
   * @param configured host names from {@code MCPGW_ALLOWED_HOSTS}, lower case, or {@code *}
   */
  static HostPolicy create(String bindHost, Set<String> configured) {
    Set<String> hosts = new HashSet<>(LOOPBACK);
    hosts.addAll(configured);
    String bind = bindHost.toLowerCase(Locale.ROOT);
    hosts.add(bind);
    if (isWildcard(bind)) {
      hosts.addAll(localNames());
    }
    return new HostPolicy(hosts, configured.contains("*"));
  }

  boolean allows(String hostHeader) {
    if (hostHeader == null || any) {
      return true;
    }
    String host = hostOnly(hostHeader.trim().toLowerCase(Locale.ROOT));
    return allowed.contains(host) || (host.startsWith("[") && allowed.contains(host.substring(1, host.length() - 1)));
  }

  /** {@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}: the part before the port. */
  private static String hostOnly(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  private static boolean isWildcard(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") || bind.isEmpty();
  }

  /** The machine's name and every address of its interfaces (what a probe or a peer on the network uses). */
  private static Set<String> localNames() {
    Set<String> names = new HashSet<>();
    try {
      InetAddress local = InetAddress.getLocalHost();
      names.add(local.getHostName().toLowerCase(Locale.ROOT));
      names.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
    } catch (UnknownHostException e) {
      // no name: the addresses below still count
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          String text = a.getHostAddress().toLowerCase(Locale.ROOT);
          int zone = text.indexOf('%');
          names.add(zone < 0 ? text : text.substring(0, zone));
        }
      }
    } catch (SocketException e) {
      // no interface list: loopback and the configured hosts still count
    }
    return names;
  }
}
