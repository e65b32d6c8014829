package dev.mcpgw.gateway.tenancy;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.usage.Quota;
import dev.mcpgw.gateway.usage.QuotaRepository;
import dev.mcpgw.gateway.usage.QuotaStatus;
import dev.mcpgw.gateway.usage.UsageAccountant;
import dev.mcpgw.gateway.usage.UsageRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code GET /usage}, {@code GET /quotas} and the console's usage page read, in the caller's scope (ADR 0014): a
 * platform admin sees every tenant (or one, with {@code tenant}); a tenant admin its own tenant; any other caller only
 * its own calls (and its tenant's quotas). Asking for another tenant is a 403 for anyone but a platform admin. The one
 * place of the usage query's parameters and of these rules: the API and the console both call it.
 */
public final class UsageQueries {
  static final Duration DEFAULT_RANGE = Duration.ofHours(24);
  static final Duration MAX_RANGE = Duration.ofDays(366);
  /** The most time buckets one {@code bucket=} query answers per group. */
  public static final int MAX_BUCKETS = 1_500;
  private static final Pattern BUCKET = Pattern.compile("([1-9][0-9]{0,4})([mhd])");

  /**
   * A usage query.
   *
   * @param tenant the {@code tenant} parameter, or {@code null}
   * @param bucket the time bucket of a series, or {@code null} for sums only
   */
  public record Query(UsageRepository.GroupBy groupBy, Instant from, Instant to, String tenant, Duration bucket) {
    /** This query with sums per {@code bucket} too; a 400 when that cuts its range into too many buckets. */
    public Query withBucket(Duration bucket, String asked) {
      if (bucket != null && buckets(from, to, bucket) > MAX_BUCKETS) {
        throw ApiException.badRequest("bucket", "bucket " + asked + " cuts the range into more than " + MAX_BUCKETS
            + " buckets; take a larger bucket or a shorter range");
      }
      return new Query(groupBy, from, to, tenant, bucket);
    }
  }

  /**
   * Sums per group over time buckets: bucket {@code i} starts at {@code start + i * bucket}; {@code count} buckets
   * cover the range; each group's list holds its buckets with calls only, oldest first.
   */
  public record Series(Instant start, Duration bucket, int count, Map<String, List<UsageRepository.Bucket>> byKey) {}

  /** The answer: the groups (most expensive first), the series when a bucket was asked for, the currency. */
  public record Answer(Query query, List<UsageRepository.Group> groups, Series series, String currency) {}

  private final UsageRepository store;
  private final QuotaRepository quotas;
  private final UsageAccountant usage;

  public UsageQueries(UsageRepository store, QuotaRepository quotas, UsageAccountant usage) {
    this.store = store;
    this.quotas = quotas;
    this.usage = usage;
  }

  public String currency() {
    return usage.pricing().currency();
  }

  /**
   * Reads {@code groupBy}, {@code from}, {@code to} (the last 24 hours before {@code now} by default), {@code tenant}
   * and {@code bucket}; a bad value is a 400 naming the parameter.
   */
  public static Query query(Function<String, String> param, Instant now) {
    UsageRepository.GroupBy groupBy = groupBy(param.apply("groupBy"));
    Instant to = time("to", param.apply("to"), now);
    Instant from = time("from", param.apply("from"), to.minus(DEFAULT_RANGE));
    if (!from.isBefore(to)) {
      throw ApiException.badRequest("from", "from must be before to");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw ApiException.badRequest("from", "the range from..to must be at most 366 days");
    }
    String tenant = param.apply("tenant");
    return new Query(groupBy, from, to, tenant == null || tenant.isBlank() ? null : tenant, null)
        .withBucket(bucket(param.apply("bucket")), param.apply("bucket"));
  }

  /** The usage {@code caller} may see: 403 when it asks for another tenant and is not a platform admin. */
  public Answer usage(Caller caller, Query q) {
    String tenant = tenantOf(caller, q.tenant(), "usage");
    String user = caller.admin() ? null : caller.userId();
    // whole minutes: a minute's roll-up counts when its start is in [from, to)
    long fromMinute = Math.floorDiv(q.from().toEpochMilli(), 60_000L) * 60_000L;
    long toMillis = q.to().toEpochMilli();
    List<UsageRepository.Group> groups = store.groups(q.groupBy(), fromMinute, toMillis, tenant, user);
    Series series = null;
    if (q.bucket() != null) {
      long bucket = q.bucket().toMillis();
      // aligned to the bucket in UTC: an hour's bucket starts on the hour, a day's at 00:00 UTC
      long start = Math.floorDiv(fromMinute, bucket) * bucket;
      Map<String, List<UsageRepository.Bucket>> byKey = new LinkedHashMap<>();
      groups.forEach(g -> byKey.put(g.key(), new java.util.ArrayList<>()));
      for (UsageRepository.Bucket b : store.buckets(q.groupBy(), start, bucket, fromMinute, toMillis, tenant, user)) {
        byKey.computeIfAbsent(b.key(), k -> new java.util.ArrayList<>()).add(b);
      }
      series = new Series(Instant.ofEpochMilli(start), q.bucket(), buckets(q.from(), q.to(), q.bucket()), byKey);
    }
    return new Answer(q, groups, series, currency());
  }

  /** The quotas {@code caller} may read (its tenant's; a platform admin's: all, or {@code tenant}'s), with use. */
  public List<QuotaStatus> quotas(Caller caller, String tenantOrNull) {
    String tenant = tenantOf(caller, tenantOrNull, "quotas");
    return quotas.list(tenant).stream().map(this::status).toList();
  }

  /** What quota {@code q}'s current window has used, as this instance enforces it. */
  public QuotaStatus status(Quota q) {
    return usage.status(q.id()).orElse(new QuotaStatus(q, 0, q.window().end(Instant.now())));
  }

  /** The tenant a caller's query reads: {@code null} (every tenant) for a platform admin without one. */
  private static String tenantOf(Caller caller, String asked, String what) {
    String tenant = asked == null || asked.isBlank() ? null : asked;
    if (!caller.platformAdmin()) {
      if (tenant != null && !tenant.equals(caller.tenantId())) {
        throw new ApiException(403, "only a platform admin reads the " + what + " of another tenant", "tenant");
      }
      tenant = caller.tenantId();
    }
    return tenant;
  }

  /** How many buckets of {@code bucket}, aligned in UTC, cover {@code [from, to)}. */
  static int buckets(Instant from, Instant to, Duration bucket) {
    long b = bucket.toMillis();
    long start = Math.floorDiv(Math.floorDiv(from.toEpochMilli(), 60_000L) * 60_000L, b) * b;
    long n = Math.floorDiv(to.toEpochMilli() - start + b - 1, b);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, n));
  }

  static UsageRepository.GroupBy groupBy(String value) {
    if (value == null || value.isBlank()) {
      return UsageRepository.GroupBy.TOOL;
    }
    try {
      return UsageRepository.GroupBy.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("groupBy", "groupBy must be tenant, user, tool or model");
    }
  }

  /** {@code 1m}, {@code 15m}, {@code 1h}, {@code 1d}...: whole minutes, hours or days; {@code null} when absent. */
  static Duration bucket(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Matcher m = BUCKET.matcher(value.trim());
    if (!m.matches()) {
      throw ApiException.badRequest("bucket", "bucket must be a number of minutes, hours or days such as 1m, 1h or 1d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  static Instant time(String name, String value, Instant fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e2) {
        throw ApiException.badRequest(name, name + " must be an ISO-8601 time such as 2026-12-01T00:00:00Z");
      }
    }
  }
}
