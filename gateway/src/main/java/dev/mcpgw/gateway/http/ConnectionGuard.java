package dev.mcpgw.gateway.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of everything: refuses, with 429 JSON naming the setting and {@code Connection: close}, a request on a
 * connection its client opened beyond {@code MCPGW_MAX_CONNECTIONS_PER_CLIENT}, and tells {@link ClientConnections}
 * when each request starts and ends (the header deadline runs only between requests).
 */
final class ConnectionGuard extends Handler.Wrapper {
  private static final HttpField CLOSE = new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
  private final ClientConnections connections;

  ConnectionGuard(Handler handler, ClientConnections connections) {
    super(handler);
    this.connections = connections;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Connection connection = request.getConnectionMetaData().getConnection();
    if (connections.overLimit(connection)) {
      response.setStatus(429);
      response.getHeaders().put(CLOSE);
      JsonErrorPages.write(response, 429, "too many connections from your address; at most "
          + connections.maxPerClient() + " at once (MCPGW_MAX_CONNECTIONS_PER_CLIENT)", callback);
      return true;
    }
    connections.requestStarted(connection);
    Request.addCompletionListener(request, failure -> connections.requestEnded(connection));
    return super.handle(request, response, callback);
  }
}
