package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.spanstore.TraceFilter;
import java.util.function.Function;

/** Reads a {@link TraceFilter} from query parameters; a bad value is an {@link IllegalArgumentException} naming it. */
final class TraceFilters {
  private TraceFilters() {}

  static TraceFilter from(Function<String, String> param) {
    String status = param.apply("status");
    if (status != null && !status.equals("ok") && !status.equals("error")) {
      throw new BadParameter("status", "status must be ok or error");
    }
    return new TraceFilter(param.apply("requestId"), param.apply("traceId"), param.apply("user"),
        param.apply("tenant"), param.apply("tool"), status, number(param, "minDurationMs", 0, Long.MAX_VALUE / 1_000_000L),
        time(param, "from"), time(param, "to"),
        (int) (long) orDefault(number(param, "limit", 1, TraceFilter.MAX_LIMIT), TraceFilter.DEFAULT_LIMIT),
        (int) (long) orDefault(number(param, "offset", 0, 1_000_000), 0));
  }

  private static long orDefault(Long value, long fallback) {
    return value == null ? fallback : value;
  }

  static Long number(Function<String, String> param, String name, long min, long max) {
    String v = param.apply(name);
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < min || n > max) {
        throw new BadParameter(name, name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadParameter(name, name + " must be a whole number");
    }
  }

  private static Long time(Function<String, String> param, String name) {
    try {
      return Times.parse(param.apply(name));
    } catch (IllegalArgumentException e) {
      throw new BadParameter(name, name + ": " + e.getMessage());
    }
  }

  /** A query parameter with a value the API does not take. */
  static final class BadParameter extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final String parameter;

    BadParameter(String parameter, String message) {
      super(message);
      this.parameter = parameter;
    }
  }
}
