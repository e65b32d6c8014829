package dev.mcpgw.gateway.upstream;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * An upstream's answer: status, headers (names in lower case, the first value of each) and the body, read by the
 * caller. Closing the body before its end closes its connection; reading it to its end gives the connection back.
 */
record UpstreamResponse(int status, Map<String, String> headers, InputStream body) {

  /** The first value of header {@code name}, or {@code null}. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
