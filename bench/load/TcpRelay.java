// The floor of a proxy written in Java, for bench/load/proxy-floor: every accepted connection on 127.0.0.1 gets its own
// connection to the upstream, and two virtual threads (or platform threads with --platform) copy the bytes each way
// on blocking sockets. No HTTP parsing, no logic: what any Java proxy pays at least per call for its wake-ups,
// reads and writes. Run with the JDK's source launcher of Java 21 or later (bin/jdk prints one):
//   java bench/load/TcpRelay.java LISTEN_PORT UPSTREAM_PORT [--platform]
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

public final class TcpRelay {
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("--platform"))
        || !args[0].matches("\\d{1,5}") || !args[1].matches("\\d{1,5}")) {
      System.err.println("usage: java bench/load/TcpRelay.java LISTEN_PORT UPSTREAM_PORT [--platform]");
      System.exit(2);
    }
    int listen = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    Thread.Builder threads = args.length == 3 ? Thread.ofPlatform() : Thread.ofVirtual();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(loopback, listen));
      while (true) {
        Socket client = server.accept();
        threads.start(() -> {
          try {
            Socket up = new Socket(loopback, upstream);
            client.setTcpNoDelay(true);
            up.setTcpNoDelay(true);
            threads.start(() -> copy(up, client));
            copy(client, up);
          } catch (IOException e) {
            close(client);
          }
        });
      }
    }
  }

  private static void copy(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // either side closed: close both below
    } finally {
      close(from);
      close(to);
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
