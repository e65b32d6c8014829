package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.auth.Caller;

/** The frame of every console page: head, navigation, who is logged in, the logout form. */
final class Layout {
  private Layout() {}

  static String page(String title, String active, Caller caller, String csrf, Html body) {
    Html h = new Html();
    h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>").text(title).raw(" · mcpgw console</title>")
        .raw("<link rel=\"stylesheet\" href=\"/console/assets/console.css\">")
        .raw("<script src=\"/console/assets/console.js\" defer></script></head><body>")
        .raw("<header><a class=\"brand\" href=\"/console/\">mcpgw console</a><nav>");
    for (String[] item : new String[][] {{"overview", "/console/", "Overview"}, {"traces", "/console/traces", "Traces"},
        {"registry", "/console/registry", "Registry"}, {"usage", "/console/usage", "Usage"}}) {
      h.raw("<a").attr("href", item[1]);
      if (item[0].equals(active)) {
        h.attr("class", "active").attr("aria-current", "page");
      }
      h.raw(">").text(item[2]).raw("</a>");
    }
    h.raw("</nav>");
    if (caller != null) {
      h.raw("<form class=\"who\" method=\"post\" action=\"/console/logout\"><span>").text(caller.userId())
          .raw(" · ").text(caller.tenantId()).raw(" · ").text(role(caller)).raw("</span>")
          .raw("<input type=\"hidden\" name=\"csrf\"").attr("value", csrf).raw(">")
          .raw("<button type=\"submit\">Log out</button></form>");
    }
    h.raw("</header><main>").raw("<h1>").text(title).raw("</h1>").raw(body.toString()).raw("</main></body></html>");
    return h.toString();
  }

  static String role(Caller caller) {
    return caller.platformAdmin() ? "platform admin" : caller.admin() ? "tenant admin" : "user";
  }
}
