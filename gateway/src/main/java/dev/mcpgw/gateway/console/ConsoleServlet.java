package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.auth.AuthenticationException;
import dev.mcpgw.gateway.auth.Authenticator;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.TokenService;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.federation.GatewayService;
import dev.mcpgw.gateway.http.ConsoleCookies;
import dev.mcpgw.gateway.server.ServerService;
import dev.mcpgw.gateway.spanstore.SpanQueries;
import dev.mcpgw.gateway.spanstore.SpanRow;
import dev.mcpgw.gateway.spanstore.SpanStore;
import dev.mcpgw.gateway.tenancy.UsageQueries;
import dev.mcpgw.observability.export.MetricsScrape;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console at {@code /console/}: server-rendered pages over the span store, the registry and the usage store, in
 * the caller's scope. Authentication is {@code AuthFilter}'s (the {@code Authorization} header, or the session cookie
 * this servlet's login page sets); the login and logout forms carry a CSRF token (double-submit cookie) and must
 * come from the console's own origin. Every answer has a strict Content-Security-Policy: scripts and styles from
 * {@code /console/assets/} only, nothing inline, no frames.
 */
public final class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  static final String CSRF_COOKIE = "mcpgw_csrf";
  /** How long a session made from admin basic auth lasts (a token's session lasts as long as the token). */
  static final Duration BASIC_SESSION = Duration.ofHours(8);
  private static final Map<String, String> ASSETS = Map.of("console.css", "text/css; charset=utf-8",
      "console.js", "text/javascript; charset=utf-8");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What the pages read.
   *
   * @param metrics the Prometheus scrape, for the export pipeline's health on the overview; empty when that exporter
   *     is off
   * @param traceLink the URL template of a trace in an external backend ({@code {traceId}} replaced), or {@code null}
   * @param usage the usage store's queries, for the usage page; {@code null} without a usage store
   */
  public record Sources(SpanStore spans, GatewayService gateways, Catalog catalog, ServerService servers,
      Authenticator authenticator, TokenService tokens, Optional<MetricsScrape> metrics, String traceLink,
      UsageQueries usage) {
    public Sources {
      metrics = metrics == null ? Optional.empty() : metrics;
    }

    /** Without the usage store. */
    public Sources(SpanStore spans, GatewayService gateways, Catalog catalog, ServerService servers,
        Authenticator authenticator, TokenService tokens, Optional<MetricsScrape> metrics, String traceLink) {
      this(spans, gateways, catalog, servers, authenticator, tokens, metrics, traceLink, null);
    }

    /** Without export health and without a link into an external backend. */
    public Sources(SpanStore spans, GatewayService gateways, Catalog catalog, ServerService servers,
        Authenticator authenticator, TokenService tokens) {
      this(spans, gateways, catalog, servers, authenticator, tokens, Optional.empty(), null, null);
    }
  }

  private final transient Sources sources;
  private final transient ExportHealth exportHealth;

  public ConsoleServlet(Sources sources) {
    this.sources = sources;
    this.exportHealth = new ExportHealth(sources.metrics().orElse(null));
  }

  /** Mounts the console on {@code /console/*}. */
  public static void mount(ServletContextHandler ctx, Sources sources) {
    ctx.addServlet(new ServletHolder(new ConsoleServlet(sources)), "/console/*");
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    secure(res);
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    try {
      if (path.isEmpty()) {
        res.sendRedirect("/console/");
      } else if (path.startsWith("/assets/")) {
        asset(path.substring("/assets/".length()), res);
      } else if (path.equals("/login")) {
        html(res, 200, Layout.page("Log in", "", null, null, LoginPage.body(csrf(req, res), null)));
      } else {
        Caller caller = (Caller) req.getAttribute(Caller.class.getName());
        if (caller == null) {
          res.sendRedirect(ConsoleCookies.LOGIN);
          return;
        }
        page(path, req, res, caller);
      }
    } catch (RuntimeException e) {
      LOG.warn("console page {} failed: {}", path, e.toString());
      html(res, 500, Layout.page("Error", "", null, null,
          new Html().raw("<p class=\"error\">").text("The console could not render this page; see the gateway's log.")
              .raw("</p>")));
    }
  }

  private void page(String path, HttpServletRequest req, HttpServletResponse res, Caller caller) throws IOException {
    String csrf = csrf(req, res);
    Optional<SpanQueries> queries = sources.spans().queries();
    switch (path) {
      case "/" -> html(res, 200, Layout.page("Overview", "overview", caller, csrf,
          OverviewPage.body(queries.orElse(null), sources.spans().stats(), sources.gateways().list(caller), caller,
              caller.platformAdmin() ? exportHealth : ExportHealth.NONE)));
      case "/traces" -> html(res, 200, Layout.page("Traces", "traces", caller, csrf,
          TraceSearchPage.body(name -> blankToNull(req.getParameter(name)), queries.orElse(null), caller)));
      case "/registry" -> html(res, 200, Layout.page("Registry", "registry", caller, csrf,
          RegistryPage.body(sources.gateways().list(caller), sources.catalog().tools(Scope.of(caller)),
              sources.servers().list(caller))));
      case "/usage" -> html(res, 200, Layout.page("Usage and cost", "usage", caller, csrf,
          UsagePage.body(name -> blankToNull(req.getParameter(name)), sources.usage(), caller, Instant.now())));
      default -> {
        if (path.startsWith("/traces/")) {
          String id = path.substring("/traces/".length()).toLowerCase(Locale.ROOT);
          Optional<List<SpanRow>> spans = id.matches("[0-9a-f]{32}") && queries.isPresent()
              ? queries.get().trace(id, caller) : Optional.empty();
          if (spans.isPresent()) {
            html(res, 200, Layout.page("Trace", "traces", caller, csrf,
                TracePage.body(id, spans.get(), sources.traceLink())));
          } else {
            html(res, 404, Layout.page("Trace not found", "traces", caller, csrf,
                new Html().raw("<p class=\"note\">").text("No trace " + id + ".").raw("</p>")));
          }
        } else {
          html(res, 404, Layout.page("Not found", "", caller, csrf, new Html().raw("<p class=\"note\">")
              .text("No console page here.").raw(" <a href=\"/console/\">Overview</a></p>")));
        }
      }
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    secure(res);
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    if (!path.equals("/login") && !path.equals("/logout")) {
      html(res, 405, Layout.page("Not allowed", "", null, null, new Html().text("Only the login and logout forms post.")));
      return;
    }
    if (!sameOrigin(req) || !csrfMatches(req)) {
      html(res, 403, Layout.page("Refused", "", null, null, new Html().raw("<p class=\"error\">")
          .text("The form did not come from this console (CSRF protection); reload the page and try again.")
          .raw(" <a href=\"/console/login\">Log in</a></p>")));
      return;
    }
    if (path.equals("/logout")) {
      session(req, res, "", 0);
      res.sendRedirect(ConsoleCookies.LOGIN);
      return;
    }
    login(req, res);
  }

  private void login(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String token = blankToNull(req.getParameter("token"));
    String user = blankToNull(req.getParameter("user"));
    String password = req.getParameter("password");
    try {
      String sessionToken;
      if (token != null) {
        sources.authenticator().authenticate("Bearer " + token.trim());
        sessionToken = token.trim();
      } else if (user != null && password != null && !password.isEmpty()) {
        Caller caller = sources.authenticator().authenticate("Basic " + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        sessionToken = sources.tokens().issue(caller, BASIC_SESSION);
      } else {
        throw new AuthenticationException("give a token, or the admin user and password");
      }
      session(req, res, sessionToken, -1);
      res.sendRedirect("/console/");
    } catch (AuthenticationException | RuntimeException e) {
      // the reason only, never what was typed
      String reason = e instanceof AuthenticationException ? e.getMessage() : "the credentials were not accepted";
      html(res, 401, Layout.page("Log in", "", null, null, LoginPage.body(csrf(req, res), "Login failed: " + reason)));
    }
  }

  private static void session(HttpServletRequest req, HttpServletResponse res, String value, int maxAge) {
    Cookie c = new Cookie(ConsoleCookies.SESSION, value);
    c.setPath("/");
    c.setHttpOnly(true);
    c.setSecure(req.isSecure());
    c.setAttribute("SameSite", "Strict");
    c.setMaxAge(maxAge);
    res.addCookie(c);
  }

  /** The CSRF token of this browser: its cookie's, or a new one set now. */
  private static String csrf(HttpServletRequest req, HttpServletResponse res) {
    String existing = cookie(req, CSRF_COOKIE);
    if (existing != null && existing.matches("[A-Za-z0-9_-]{43}")) {
      return existing;
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Cookie c = new Cookie(CSRF_COOKIE, token);
    c.setPath("/console");
    c.setHttpOnly(true);
    c.setSecure(req.isSecure());
    c.setAttribute("SameSite", "Strict");
    res.addCookie(c);
    return token;
  }

  private static boolean csrfMatches(HttpServletRequest req) {
    String cookie = cookie(req, CSRF_COOKIE);
    String field = req.getParameter("csrf");
    return cookie != null && field != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
        field.getBytes(StandardCharsets.UTF_8));
  }

  /** A browser's form post names its origin: it must be this console's own. */
  private static boolean sameOrigin(HttpServletRequest req) {
    String origin = req.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String host = req.getHeader("Host");
    return host != null && origin.equalsIgnoreCase(req.getScheme() + "://" + host);
  }

  private static String cookie(HttpServletRequest req, String name) {
    Cookie[] cookies = req.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        if (name.equals(c.getName())) {
          return c.getValue();
        }
      }
    }
    return null;
  }

  private static void secure(HttpServletResponse res) {
    res.setHeader("Content-Security-Policy", CSP);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on the console's own form posts
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Cache-Control", "no-store");
  }

  private static void asset(String name, HttpServletResponse res) throws IOException {
    String type = ASSETS.get(name);
    try (InputStream in = type == null ? null : ConsoleServlet.class.getResourceAsStream("/console/" + name)) {
      if (in == null) {
        res.setStatus(404);
        return;
      }
      res.setContentType(type);
      res.setHeader("Cache-Control", "no-cache");
      in.transferTo(res.getOutputStream());
    }
  }

  private static void html(HttpServletResponse res, int status, String page) throws IOException {
    res.setStatus(status);
    res.setContentType("text/html; charset=utf-8");
    res.getOutputStream().write(page.getBytes(StandardCharsets.UTF_8));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
