package dev.mcpgw.gateway.mcp;

import java.util.List;

/**
 * The MCP protocol revisions the gateway speaks downstream, newest first: the session revisions (through
 * {@code initialize}; {@link #SUPPORTED}) and the stateless one ({@link #STATELESS}: no session, every request carries
 * its revision in {@code params._meta}).
 */
public final class ProtocolVersions {
  /** The newest revision with sessions. */
  public static final String LATEST = "2025-11-25";
  /** The stateless revision, served per request ({@code server/discover} instead of {@code initialize}). */
  public static final String STATELESS = "2026-07-28";
  /** What a Streamable HTTP request without {@code MCP-Protocol-Version} is assumed to speak (the spec's rule). */
  public static final String ASSUMED_WITHOUT_HEADER = "2025-03-26";
  public static final List<String> SUPPORTED = List.of(LATEST, "2025-06-18", "2025-03-26", "2024-11-05");
  /** Every revision the gateway speaks, newest first: what {@code server/discover} lists. */
  public static final List<String> ALL = List.of(STATELESS, LATEST, "2025-06-18", "2025-03-26", "2024-11-05");

  private ProtocolVersions() {}

  public static boolean isSupported(String version) {
    return SUPPORTED.contains(version);
  }

  /** The client's version when the gateway speaks it, else the gateway's newest (the client then decides). */
  public static String negotiate(String requested) {
    return isSupported(requested) ? requested : LATEST;
  }

  /** Whether JSON-RPC batches are allowed: only revision 2025-03-26 had them; 2025-06-18 removed them. */
  public static boolean allowsBatches(String version) {
    return "2025-03-26".equals(version);
  }
}
