package dev.mcpgw.gateway.console;

/** The login form: a bearer token, or the admin's user name and password (basic auth). */
final class LoginPage {
  private LoginPage() {}

  static Html body(String csrf, String error) {
    Html h = new Html();
    if (error != null) {
      h.raw("<p class=\"error\" role=\"alert\">").text(error).raw("</p>");
    }
    h.raw("<form class=\"login\" method=\"post\" action=\"/console/login\">")
        .raw("<input type=\"hidden\" name=\"csrf\"").attr("value", csrf).raw(">")
        .raw("<fieldset><legend>Token</legend><label>Bearer token (<code>bin/mcpgw token --user U --tenant T</code>)")
        .raw("<textarea name=\"token\" id=\"token\" rows=\"3\" autocomplete=\"off\"></textarea></label></fieldset>")
        .raw("<fieldset><legend>or admin basic auth</legend>")
        .raw("<label>User <input name=\"user\" id=\"user\" autocomplete=\"username\"></label>")
        .raw("<label>Password <input type=\"password\" name=\"password\" id=\"password\" ")
        .raw("autocomplete=\"current-password\"></label></fieldset>")
        .raw("<button type=\"submit\" id=\"login\">Log in</button></form>");
    return h;
  }
}
