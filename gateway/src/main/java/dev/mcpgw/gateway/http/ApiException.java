package dev.mcpgw.gateway.http;

/**
 * A request the API refuses, with the HTTP status, a message for the client and the request field at fault. Thrown
 * by the services behind the admin routes and turned into {@code {"error": message, "field": field}} by the router.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;

  public ApiException(int status, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  public static ApiException badRequest(String field, String message) {
    return new ApiException(400, message, field);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message, null);
  }

  public static ApiException conflict(String field, String message) {
    return new ApiException(409, message, field);
  }

  /** The upstream the request depends on failed (unreachable, timed out, answered an error). */
  public static ApiException badGateway(String message) {
    return new ApiException(502, message, null);
  }

  public int status() {
    return status;
  }

  /** The request field at fault, or {@code null}. */
  public String field() {
    return field;
  }
}
