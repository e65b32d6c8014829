package dev.mcpgw.observability;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build: Maven-filtered {@code build.properties}, else the jar manifest, else "unknown". */
final class BuildInfo {

  static final String VERSION = readVersion();

  private BuildInfo() {}

  private static String readVersion() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isBlank() && !v.contains("${")) {
          return v.trim();
        }
      }
    } catch (IOException e) {
      // fall back to the manifest
    }
    String manifest = BuildInfo.class.getPackage().getImplementationVersion();
    return manifest == null || manifest.isBlank() ? "unknown" : manifest;
  }
}
