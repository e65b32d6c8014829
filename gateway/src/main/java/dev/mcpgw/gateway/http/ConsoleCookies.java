package dev.mcpgw.gateway.http;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The console's session: the login page (issue 12) sets an HttpOnly, SameSite=Strict cookie holding a bearer token,
 * which {@link AuthFilter} accepts on {@code /console/} and {@code /observability/} only, when the request has no
 * {@code Authorization} header. The login page and the console's static assets need no session.
 */
public final class ConsoleCookies {
  /** The session cookie's name. */
  public static final String SESSION = "mcpgw_console";
  /** The console's pages. */
  public static final String CONSOLE = "/console";
  /** The login page, open to everyone. */
  public static final String LOGIN = "/console/login";
  /** The console's scripts and style sheet, open to everyone. */
  public static final String ASSETS = "/console/assets/";

  private ConsoleCookies() {}

  static boolean console(String path) {
    return path.equals(CONSOLE) || path.startsWith(CONSOLE + "/");
  }

  /** Paths of the console that need no session. */
  static boolean open(String path) {
    return path.equals(LOGIN) || path.startsWith(ASSETS);
  }

  /** Paths on which the session cookie stands for an {@code Authorization} header. */
  static boolean acceptsCookie(String path) {
    return console(path) || path.startsWith("/observability/");
  }

  /** {@code Bearer <token>} from the session cookie, or {@code null}. */
  static String authorization(HttpServletRequest req) {
    Cookie[] cookies = req.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (SESSION.equals(c.getName()) && c.getValue() != null && !c.getValue().isBlank()) {
        return "Bearer " + c.getValue();
      }
    }
    return null;
  }
}
