package dev.mcpgw.gateway.config;

/**
 * How many upstream sessions of their own downstream clients may hold (a client that declares roots, sampling or
 * elicitation, or keeps state upstream, gets one per upstream; over stdio each is a process). Beyond a bound the
 * client uses the upstream's shared session instead; see {@code docs/configuration.md}.
 *
 * @param perHttpUpstream the most such sessions open at once to one Streamable HTTP or SSE upstream
 *     ({@code MCPGW_UPSTREAM_DEDICATED_SESSIONS_MAX})
 * @param perStdioUpstream the most such sessions, so processes, of one stdio upstream
 *     ({@code MCPGW_UPSTREAM_DEDICATED_STDIO_SESSIONS_MAX})
 * @param perUser the most one user (of one tenant) holds at one upstream, so that one user cannot take every slot
 *     ({@code MCPGW_UPSTREAM_DEDICATED_SESSIONS_PER_USER})
 */
public record DedicatedSessionLimits(int perHttpUpstream, int perStdioUpstream, int perUser) {
  /** The one home of the defaults: 100 per HTTP upstream, 8 processes per stdio upstream, 3 per user. */
  public static final int DEFAULT_PER_HTTP_UPSTREAM = 100;
  public static final int DEFAULT_PER_STDIO_UPSTREAM = 8;
  public static final int DEFAULT_PER_USER = 3;

  public DedicatedSessionLimits {
    if (perHttpUpstream < 0) {
      throw new IllegalArgumentException("perHttpUpstream must be 0 or more: " + perHttpUpstream);
    }
    if (perStdioUpstream < 0) {
      throw new IllegalArgumentException("perStdioUpstream must be 0 or more: " + perStdioUpstream);
    }
    if (perUser < 0) {
      throw new IllegalArgumentException("perUser must be 0 or more: " + perUser);
    }
  }

  public static DedicatedSessionLimits defaults() {
    return new DedicatedSessionLimits(DEFAULT_PER_HTTP_UPSTREAM, DEFAULT_PER_STDIO_UPSTREAM, DEFAULT_PER_USER);
  }

  /** The bound per upstream: {@link #perStdioUpstream} for a stdio one, else {@link #perHttpUpstream}. */
  public int perUpstream(boolean stdio) {
    return stdio ? perStdioUpstream : perHttpUpstream;
  }
}
