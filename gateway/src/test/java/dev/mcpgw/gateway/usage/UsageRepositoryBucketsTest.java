package dev.mcpgw.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.PostgresExtension;
import dev.mcpgw.gateway.store.TestDatabases;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The time-bucketed usage query behind {@code GET /usage?bucket=} and the console's charts, on both databases. */
@ExtendWith(PostgresExtension.class)
class UsageRepositoryBucketsTest {
  private static final long HOUR = 3_600_000L;
  private static final long T0 = 1_796_000_000_000L / HOUR * HOUR; // on the hour
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void minutesAreSummedPerGroupAndBucketInTheRangeAndTheCallersScopeOnly(TestDatabases.Kind kind, TestDatabases dbs)
      throws Exception {
    try (Database db = Database.open(dbs.create(kind, tmp))) {
      UsageRepository repo = new UsageRepository(db);
      Map<UsageKey, UsageTotals> rows = new LinkedHashMap<>();
      rows.put(new UsageKey(T0, "acme", "alice", "echo", "m"), totals(2, 1, 10, 0.5));
      rows.put(new UsageKey(T0 + 59 * 60_000L, "acme", "alice", "echo", "m"), totals(3, 0, 5, 0.25));
      rows.put(new UsageKey(T0 + 60 * 60_000L, "acme", "bob", "echo", "m"), totals(4, 0, 1, 1));
      rows.put(new UsageKey(T0 + 61 * 60_000L, "acme", "alice", "add", "m"), totals(1, 0, 2, 0));
      rows.put(new UsageKey(T0 + 60 * 60_000L, "globex", "carol", "echo", "m"), totals(7, 0, 7, 7));
      rows.put(new UsageKey(T0 + 3 * HOUR, "acme", "alice", "echo", "m"), totals(9, 0, 9, 9)); // after the range
      repo.add(rows);

      List<UsageRepository.Bucket> acme = repo.buckets(UsageRepository.GroupBy.TOOL, T0, HOUR, T0, T0 + 2 * HOUR,
          "acme", null);
      assertThat(acme).extracting(UsageRepository.Bucket::key, UsageRepository.Bucket::index,
          UsageRepository.Bucket::calls, UsageRepository.Bucket::errors, UsageRepository.Bucket::resultTokens)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("add", 1L, 1L, 0L, 2L),
              org.assertj.core.groups.Tuple.tuple("echo", 0L, 5L, 1L, 15L),
              org.assertj.core.groups.Tuple.tuple("echo", 1L, 4L, 0L, 1L));
      assertThat(acme.get(1).cost()).isEqualTo(0.75);

      List<UsageRepository.Bucket> alice = repo.buckets(UsageRepository.GroupBy.USER, T0, HOUR, T0, T0 + 2 * HOUR,
          "acme", "alice");
      assertThat(alice).extracting(UsageRepository.Bucket::key, UsageRepository.Bucket::index,
          UsageRepository.Bucket::calls).containsExactly(org.assertj.core.groups.Tuple.tuple("alice", 0L, 5L),
          org.assertj.core.groups.Tuple.tuple("alice", 1L, 1L));

      List<UsageRepository.Bucket> perMinute = repo.buckets(UsageRepository.GroupBy.TENANT, T0, 60_000L,
          T0 + 59 * 60_000L, T0 + 2 * HOUR, null, null);
      assertThat(perMinute).extracting(UsageRepository.Bucket::key, UsageRepository.Bucket::index,
          UsageRepository.Bucket::calls).containsExactly(org.assertj.core.groups.Tuple.tuple("acme", 59L, 3L),
          org.assertj.core.groups.Tuple.tuple("acme", 60L, 4L), org.assertj.core.groups.Tuple.tuple("acme", 61L, 1L),
          org.assertj.core.groups.Tuple.tuple("globex", 60L, 7L));
    }
  }

  private static UsageTotals totals(long calls, long errors, long resultTokens, double cost) {
    UsageTotals t = new UsageTotals();
    t.calls = calls;
    t.errors = errors;
    t.resultTokens = resultTokens;
    t.costNanos = UsageTotals.toNanos(cost);
    return t;
  }
}
