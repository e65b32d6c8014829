package dev.mcpgw.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The accounting pipeline behind {@link Metering}: the request thread offers each finished tool call to a bounded
 * queue (a full queue drops the call and counts it) and checks quotas against in-memory counters; one background
 * thread counts tokens, prices the call, rolls calls up per minute per tenant, user, tool and model, and every flush
 * interval (and at close) adds the roll-ups to the usage store in one batch, then re-reads each quota's window from
 * the store, so that instances sharing a database converge. Nothing is written on the request path.
 */
public final class UsageAccountant implements Metering, AutoCloseable {
  /** The most calls waiting to be accounted; beyond it calls are dropped (and counted). */
  public static final int QUEUE_CAPACITY = 16_384;
  /** How long the accounting thread sleeps when nothing is queued. */
  static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int BATCH = 256;
  /** The most roll-up rows kept while the database cannot be written; beyond it the oldest pending rows are dropped. */
  static final int MAX_PENDING_ROWS = 100_000;
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(UsageAccountant.class));
  private static final String REQUEST_MODEL_UNSET = "";

  private record Event(ToolCall call, String requestedModel, Consumer<Accounted> done) {}

  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final UsageRepository usage;
  private final QuotaRepository quotaStore;
  private final TokenCounter tokens;
  private final Pricing pricing;
  private final Duration flushInterval;
  private final Supplier<String> requestModel;
  private final Supplier<Consumer<Accounted>> perCall;
  private final UsageListener listener;
  private final Clock clock;
  private final QuotaCounters quotas = new QuotaCounters();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final Map<UsageKey, UsageTotals> pending = new HashMap<>();
  private final Thread worker;
  private volatile boolean closing;

  private UsageAccountant(Builder b) {
    this.usage = b.usage;
    this.quotaStore = b.quotas;
    this.tokens = b.tokens;
    this.pricing = b.pricing;
    this.flushInterval = b.flushInterval;
    this.requestModel = b.requestModel;
    this.perCall = b.perCall;
    this.listener = b.listener;
    this.clock = b.clock;
    this.worker = new Thread(this::run, "mcpgw-usage");
    this.worker.setDaemon(true);
  }

  public static Builder builder(UsageRepository usage, QuotaRepository quotas, TokenCounter tokens) {
    return new Builder(usage, quotas, tokens);
  }

  /** What an accountant is made of; every setting not given keeps its default. */
  public static final class Builder {
    private final UsageRepository usage;
    private final QuotaRepository quotas;
    private final TokenCounter tokens;
    private Pricing pricing = Pricing.NONE;
    private Duration flushInterval = Duration.ofSeconds(5);
    private Supplier<String> requestModel = () -> null;
    private Supplier<Consumer<Accounted>> perCall = () -> null;
    private UsageListener listener = UsageListener.NONE;
    private Clock clock = Clock.systemUTC();

    private Builder(UsageRepository usage, QuotaRepository quotas, TokenCounter tokens) {
      this.usage = Objects.requireNonNull(usage, "usage");
      this.quotas = Objects.requireNonNull(quotas, "quotas");
      this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    public Builder pricing(Pricing pricing) {
      this.pricing = Objects.requireNonNull(pricing, "pricing");
      return this;
    }

    public Builder flushInterval(Duration interval) {
      this.flushInterval = Objects.requireNonNull(interval, "flushInterval");
      return this;
    }

    /** Reads the model the current request names (W3C baggage {@code gen_ai.request.model}), on the request thread. */
    public Builder requestModel(Supplier<String> requestModel) {
      this.requestModel = Objects.requireNonNull(requestModel, "requestModel");
      return this;
    }

    /**
     * Asks, on the request thread, who else wants the call's accounting (the tool call's span, which then takes its
     * token counts from here instead of counting them again): a consumer that gets the {@link Accounted} call, or
     * {@code null} when the accounting fails or the call is dropped; {@code null} for nobody.
     */
    public Builder perCall(Supplier<Consumer<Accounted>> perCall) {
      this.perCall = Objects.requireNonNull(perCall, "perCall");
      return this;
    }

    public Builder listener(UsageListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Loads the quotas and starts the accounting thread. */
    public UsageAccountant start() {
      UsageAccountant a = new UsageAccountant(this);
      a.reloadQuotas();
      a.listener.quotas(a::statuses);
      a.worker.start();
      return a;
    }
  }

  public Pricing pricing() {
    return pricing;
  }

  @Override
  public QuotaExceeded admit(String tenant, String user) {
    try {
      QuotaExceeded over = quotas.admit(tenant, user, clock.instant());
      if (over != null) {
        listener.rejected(over);
      }
      return over;
    } catch (RuntimeException e) {
      LOG.warn("quota check failed; the call goes on: {}", e.toString());
      return null;
    }
  }

  @Override
  public void record(ToolCall call) {
    if (call == null || !call.admitted()) {
      return;
    }
    String model;
    Consumer<Accounted> done;
    try {
      model = requestModel.get();
      done = perCall.get();
    } catch (RuntimeException e) {
      model = null;
      done = null;
    }
    if (!queue.offer(new Event(call, model == null ? REQUEST_MODEL_UNSET : model, done))) {
      tell(done, null);
      quotas.abandoned(call.tenant(), call.user());
      long n = dropped.incrementAndGet();
      LOG.warn("usage accounting is behind ({} calls queued); {} call(s) dropped from the usage store so far",
          QUEUE_CAPACITY, n);
    }
  }

  /** Calls dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** The statuses of every quota (or of {@code tenant}'s), with their current window's use. */
  public List<QuotaStatus> statuses() {
    Instant now = clock.instant();
    return quotas.all().stream().map(c -> new QuotaStatus(c.quota, c.used(now), c.quota.window().end(now))).toList();
  }

  /** The status of quota {@code id} as enforced now, if this instance knows it. */
  public java.util.Optional<QuotaStatus> status(String id) {
    return statuses().stream().filter(s -> s.quota().id().equals(id)).findFirst();
  }

  /**
   * Re-reads the quotas from the database (after a change through the API); a new quota's window is read from the
   * store at once, so it applies from the next call.
   */
  public synchronized void reloadQuotas() {
    Instant now = clock.instant();
    quotas.replace(quotaStore.list(null), now);
    for (QuotaCounters.Counter c : quotas.all()) {
      if (!c.current(now)) {
        QuotaCounters.refreshed(c, persisted(c.quota, now), now);
      }
    }
  }

  private double persisted(Quota q, Instant now) {
    return usage.since(q.tenant(), q.user(), q.window().start(now).toEpochMilli()).of(q.metric());
  }

  /**
   * Takes what is queued in turns, and sleeps up to {@link #IDLE_NANOS} when nothing is. It does not wait on the
   * queue: a consumer waiting there makes every offer wake it, a system call on the request thread and a context
   * switch per tool call (15 to 24 us of CPU per call at 8 connections, docs/performance.md). Accounting runs up to
   * that much later; quotas are admitted on the request thread from counters it updates.
   */
  private void run() {
    long next = System.nanoTime() + flushInterval.toNanos();
    List<Event> batch = new ArrayList<>(BATCH);
    while (!closing) {
      try {
        queue.drainTo(batch, BATCH);
        for (int i = 0; i < batch.size(); i++) {
          accountGuarded(batch.get(i));
        }
        boolean idle = batch.isEmpty();
        batch.clear();
        long now = System.nanoTime();
        if (now - next >= 0) {
          flushAndRefresh();
          next = System.nanoTime() + flushInterval.toNanos();
        } else if (idle) {
          LockSupport.parkNanos(Math.min(IDLE_NANOS, next - now));
          if (Thread.interrupted()) {
            break;
          }
        }
      } catch (RuntimeException | Error ex) {
        batch.clear();
        LOG.warn("usage accounting failed: {}", ex.toString());
      }
    }
  }

  /** Accounts {@code e}; a failure costs that call only, never the rest of its batch. */
  private void accountGuarded(Event e) {
    try {
      account(e);
    } catch (RuntimeException ex) {
      LOG.warn("usage accounting failed: {}", ex.toString());
    }
  }

  private void account(Event e) {
    ToolCall c = e.call();
    Accounted a;
    try {
      long args = tokens.arguments(c.arguments());
      long result = c.result() == null ? 0 : tokens.result(c.result());
      String model = pricing.model(c.tenant(), e.requestedModel().isEmpty() ? null : e.requestedModel());
      ReportedUsage reported = ReportedUsage.of(c.result());
      double cost = pricing.toolCallCost(model, args, result)
          + (reported == null ? 0 : pricing.cost(reported.model() == null ? model : reported.model(),
              reported.inputTokens(), reported.outputTokens()));
      a = new Accounted(c.tenant(), c.user(), c.tool(), c.upstream(), model, c.ok(), c.durationNanos(), args, result,
          reported == null ? null : reported.model(), reported == null ? 0 : reported.inputTokens(),
          reported == null ? 0 : reported.outputTokens(), cost, c.endedAtMillis(), c.result() != null);
    } catch (RuntimeException ex) {
      LOG.warn("could not account a tool call: {}", ex.getClass().getSimpleName());
      tell(e.done(), null);
      quotas.abandoned(c.tenant(), c.user());
      return;
    }
    tell(e.done(), a);
    long minute = Math.floorDiv(a.endedAtMillis(), 60_000L) * 60_000L;
    UsageKey key = new UsageKey(minute, a.tenant(), a.user(), a.tool(), a.model());
    if (pending.size() >= MAX_PENDING_ROWS && !pending.containsKey(key)) {
      dropped.incrementAndGet();
      LOG.warn("usage store unwritable and {} roll-up rows pending; dropping calls", MAX_PENDING_ROWS);
    } else {
      pending.computeIfAbsent(key, k -> new UsageTotals()).add(a);
    }
    quotas.accounted(a, true);
    try {
      listener.accounted(a);
    } catch (RuntimeException ex) {
      LOG.warn("usage listener failed: {}", ex.toString());
    }
  }

  private static void tell(Consumer<Accounted> done, Accounted a) {
    if (done == null) {
      return;
    }
    try {
      done.accept(a);
    } catch (RuntimeException ex) {
      LOG.warn("a consumer of a tool call's accounting failed: {}", ex.toString());
    }
  }

  /** Writes the pending roll-ups, then re-reads every quota's window from the store. */
  private void flushAndRefresh() {
    try {
      usage.add(pending);
      pending.clear();
      flushes.incrementAndGet();
    } catch (RuntimeException e) {
      LOG.warn("could not write {} usage roll-up row(s); retrying at the next flush: {}", pending.size(),
          e.getClass().getSimpleName());
      return;
    }
    try {
      Instant now = clock.instant();
      synchronized (this) {
        quotas.replace(quotaStore.list(null), now);
        for (QuotaCounters.Counter c : quotas.all()) {
          QuotaCounters.refreshed(c, persisted(c.quota, now), now);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("could not refresh the quotas' figures: {}", e.getClass().getSimpleName());
    }
  }

  /** Completed flushes (for tests that wait for the store). */
  long flushes() {
    return flushes.get();
  }

  /** Accounts what is queued, writes it, and stops the thread. */
  @Override
  public void close() {
    closing = true;
    worker.interrupt();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      LOG.warn("the usage accounting thread did not stop within 5 s; {} queued call(s) and the roll-ups not yet"
          + " written are lost", queue.size());
      Event lost;
      while ((lost = queue.poll()) != null) {
        tell(lost.done(), null);
      }
      return;
    }
    Event e;
    while ((e = queue.poll()) != null) {
      account(e);
    }
    try {
      usage.add(pending);
      pending.clear();
    } catch (RuntimeException ex) {
      LOG.warn("could not write the last {} usage roll-up row(s) at shutdown: {}", pending.size(),
          ex.getClass().getSimpleName());
    }
  }

  /** Usage an upstream reported in a result's {@code _meta}. */
  record ReportedUsage(String model, long inputTokens, long outputTokens) {
    /**
     * Reads {@code _meta.usage} ({@code input_tokens}/{@code inputTokens}, {@code output_tokens}/{@code outputTokens})
     * and the model from {@code _meta.model} or {@code _meta.usage.model}; {@code null} when there is none.
     */
    static ReportedUsage of(JsonNode result) {
      if (result == null) {
        return null;
      }
      JsonNode meta = result.get("_meta");
      if (meta == null || !meta.isObject()) {
        return null;
      }
      JsonNode u = meta.get("usage");
      if (u == null || !u.isObject()) {
        return null;
      }
      long in = tokens(u, "input_tokens", "inputTokens");
      long out = tokens(u, "output_tokens", "outputTokens");
      if (in == 0 && out == 0) {
        return null;
      }
      JsonNode m = meta.has("model") ? meta.get("model") : u.get("model");
      String model = m != null && m.isTextual() && !m.textValue().isBlank() ? m.textValue().trim() : null;
      if (model != null && model.length() > 128) {
        model = model.substring(0, 128);
      }
      return new ReportedUsage(model, in, out);
    }

    private static long tokens(JsonNode u, String a, String b) {
      JsonNode n = u.has(a) ? u.get(a) : u.get(b);
      return n != null && n.canConvertToLong() && n.asLong() > 0 ? Math.min(n.asLong(), 1_000_000_000L) : 0;
    }
  }
}
