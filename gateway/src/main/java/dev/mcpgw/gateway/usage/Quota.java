package dev.mcpgw.gateway.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * A limit on what a tenant (or one user of it) may use per calendar window (UTC): {@code calls} ({@code tools/call}
 * requests), {@code tokens} (tool arguments and results plus reported model usage) or {@code cost}.
 *
 * @param user the one user it limits, or {@code null} for the whole tenant
 */
public record Quota(String id, String tenant, String user, Metric metric, double limit, Window window) {

  public Quota {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(window, "window");
  }

  /** What a quota counts. */
  public enum Metric {
    CALLS, TOKENS, COST;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static Metric of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /** A calendar window in UTC: it starts at the top of the minute, hour, day or month. */
  public enum Window {
    MINUTE, HOUR, DAY, MONTH;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static Window of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The start of the window {@code now} is in. */
    public Instant start(Instant now) {
      ZonedDateTime t = now.atZone(ZoneOffset.UTC);
      ZonedDateTime s = switch (this) {
        case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
        case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
        case DAY -> t.truncatedTo(ChronoUnit.DAYS);
        case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
      };
      return s.toInstant();
    }

    /** When the window {@code now} is in ends (the next one starts). */
    public Instant end(Instant now) {
      ZonedDateTime s = start(now).atZone(ZoneOffset.UTC);
      ZonedDateTime e = switch (this) {
        case MINUTE -> s.plusMinutes(1);
        case HOUR -> s.plusHours(1);
        case DAY -> s.plusDays(1);
        case MONTH -> s.plusMonths(1);
      };
      return e.toInstant();
    }
  }

  /** Whether a call of {@code user} of {@code tenant} counts against this quota. */
  public boolean covers(String tenant, String user) {
    return this.tenant.equals(tenant) && (this.user == null || this.user.equals(user));
  }

  /** E.g. {@code "3 calls per minute for user bob of tenant acme"}. */
  public String describe() {
    return number(limit) + " " + metric.wire() + " per " + window.wire() + " for "
        + (user == null ? "tenant " + tenant : "user " + user + " of tenant " + tenant);
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  static void putNumber(ObjectNode node, String field, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      node.put(field, (long) v);
    } else {
      node.put(field, v);
    }
  }
}
