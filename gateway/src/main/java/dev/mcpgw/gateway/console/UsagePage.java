package dev.mcpgw.gateway.console;

/**
 * Usage and cost per tenant, user, tool and model: a placeholder until the usage API of issue 11 exists. It shows no
 * numbers: none are recorded yet, and the console does not invent them.
 */
final class UsagePage {
  private UsagePage() {}

  static Html body() {
    return new Html().raw("<p class=\"note\" id=\"usage-pending\">Usage, tokens, cost and quota utilisation per "
        + "tenant, user, tool and model arrive with issue 11 (\"Usage, tokens, cost and quotas per user and tenant\"), "
        + "which is not done yet: the gateway records no usage or cost data today, so this page has nothing to show. "
        + "Once that usage API exists this page will read it.</p><p>Until then, calls, errors and latency per tool and "
        + "upstream are on the <a href=\"/console/\">overview</a>, and each call's trace (with its user and tenant) "
        + "is in <a href=\"/console/traces\">trace search</a>; <code>mcpgw.tool.calls</code> on <code>/metrics</code>"
        + " counts calls per tool, user and tenant.</p>");
  }
}
