package dev.mcpgw.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself (a malformed request line, headers too large, a URI it refuses, an unsupported
 * version, an exception a servlet let through) as the gateway's JSON error shape {@code {"error": ...}}, for every
 * method and whatever the client accepts: never an HTML page, never a stack trace, never the exception's message
 * for a 5xx.
 */
final class JsonErrorPages {
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

  private JsonErrorPages() {}

  /** The body for {@code status}: Jetty's reason for a 4xx (it names the fault, e.g. "Ambiguous URI"), else its phrase. */
  static byte[] body(int status, String message) {
    String phrase = HttpStatus.getMessage(status);
    String text = status < 500 && message != null && !message.isBlank() ? message : phrase;
    ObjectNode body = JsonResponses.MAPPER.createObjectNode().put("error", text).put("status", status);
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void write(Response response, int status, String message, Callback callback) {
    byte[] bytes = body(status, message);
    response.setStatus(status);
    response.getHeaders().put(JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** For errors answered outside any context (bad messages, requests no handler took). */
  static final class ServerErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) {
      JsonErrorPages.write(response, code, message, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(JSON);
      return ByteBuffer.wrap(body(status, reason));
    }
  }

  /** For errors inside the servlet context (an exception or {@code sendError} of a servlet or filter). */
  static final class ContextErrors extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) {
      JsonErrorPages.write(response, code, message, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(JSON);
      return ByteBuffer.wrap(body(status, reason));
    }
  }
}
