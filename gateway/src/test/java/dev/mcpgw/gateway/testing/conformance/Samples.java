package dev.mcpgw.gateway.testing.conformance;

/** The binary payloads the scenarios ask for, as base64: tiny but valid files of their media type. */
final class Samples {
  /** A 1x1 red PNG pixel. */
  static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
  /** A minimal WAV file (one 16-bit sample at 8 kHz). */
  static final String WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

  private Samples() {}
}
