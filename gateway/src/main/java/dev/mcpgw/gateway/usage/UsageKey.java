package dev.mcpgw.gateway.usage;

/** One roll-up row's key: the minute (epoch ms of its start, UTC) and who used which tool through which model. */
record UsageKey(long minute, String tenant, String user, String tool, String model) implements Comparable<UsageKey> {
  @Override
  public int compareTo(UsageKey o) {
    int c = Long.compare(minute, o.minute);
    if (c == 0) {
      c = tenant.compareTo(o.tenant);
    }
    if (c == 0) {
      c = user.compareTo(o.user);
    }
    if (c == 0) {
      c = tool.compareTo(o.tool);
    }
    return c == 0 ? model.compareTo(o.model) : c;
  }
}
