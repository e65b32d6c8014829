package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.JsonResponses;
import dev.mcpgw.observability.export.MetricsScrape;
import dev.mcpgw.observability.logging.ThrottledLogger;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the Prometheus text exposition of the gateway's metrics when the {@code prometheus} metrics
 * exporter is on; a JSON 404 naming the setting otherwise. Behind authentication like every endpoint but the probes
 * (give the scraper a bearer token). A platform admin reads every sample, a tenant admin only its own tenant's
 * ({@link TenantMetrics}), a user gets 403: samples carry user and tenant ids (docs/adr/0014-tenancy.md).
 */
final class MetricsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(MetricsServlet.class));
  static final String OFF_MESSAGE = "metrics are not served here; set OTEL_METRICS_EXPORTER=prometheus (or"
      + " observability.metrics.exporter: prometheus) with OTEL_ENABLE_OBSERVABILITY=true";
  static final String USER_MESSAGE = "metrics need an admin token: a tenant admin reads its own tenant's samples,"
      + " a platform admin every sample";

  private final transient MetricsScrape scrape;

  /** @param scrape the exposition, or {@code null} when metrics are off */
  MetricsServlet(MetricsScrape scrape) {
    this.scrape = scrape;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
      res.setHeader("Allow", "GET, HEAD");
      JsonResponses.error(res, 405, "method " + req.getMethod() + " is not allowed on /metrics", "method");
      return;
    }
    if (scrape == null) {
      JsonResponses.error(res, 404, OFF_MESSAGE, null);
      return;
    }
    Caller caller = req.getAttribute(Caller.class.getName()) instanceof Caller c ? c : null;
    if (caller == null || !caller.admin()) {
      JsonResponses.error(res, 403, USER_MESSAGE, null);
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    // OpenMetrics (with exemplars) when the scraper asks for it, as Prometheus does
    boolean openMetrics = scrape.wantsOpenMetrics(req.getHeader("Accept"));
    try {
      scrape.writeTo(body, openMetrics);
    } catch (IOException | RuntimeException e) {
      LOG.warn("collecting metrics for /metrics failed", e);
      JsonResponses.error(res, 500, "collecting metrics failed; see the gateway log", null);
      return;
    }
    if (!caller.platformAdmin()) {
      byte[] own = TenantMetrics.only(body.toString(StandardCharsets.UTF_8), caller.tenantId())
          .getBytes(StandardCharsets.UTF_8);
      body = new ByteArrayOutputStream(own.length);
      body.write(own, 0, own.length);
    }
    res.setStatus(200);
    res.setContentType(scrape.contentType(openMetrics));
    res.setContentLength(body.size());
    if ("GET".equals(req.getMethod())) {
      body.writeTo(res.getOutputStream());
    }
  }
}
