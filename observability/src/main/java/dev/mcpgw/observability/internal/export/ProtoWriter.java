package dev.mcpgw.observability.internal.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer that writes the protobuf wire format in one pass (ADR 0037). A length-delimited field reserves
 * room for its length before its content, and the length is written once the content is known; only when the length
 * needs more or fewer bytes than were reserved does the content move. The output is canonical: every varint in its
 * shortest form, as protobuf's own encoders write it.
 */
final class ProtoWriter {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private byte[] buf;
  private int pos;

  ProtoWriter(int capacity) {
    buf = new byte[Math.max(64, capacity)];
  }

  void reset() {
    pos = 0;
  }

  int size() {
    return pos;
  }

  int capacity() {
    return buf.length;
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, pos);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  void tag(int field, int wireType) {
    varint((field << 3) | wireType);
  }

  /** An unsigned 32-bit varint (tags, lengths, enums, uint32). */
  void varint(int value) {
    ensure(5);
    while ((value & ~0x7F) != 0) {
      buf[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
  }

  /** A 64-bit varint (int64: a negative value takes ten bytes, as protobuf writes it). */
  void varint64(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
  }

  void fixed64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  void fixed32(int value) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  /**
   * Opens a length-delimited field with room for a length of {@code reserve} bytes; returns where its content starts,
   * for {@link #end}.
   */
  int begin(int field, int reserve) {
    tag(field, LEN);
    ensure(reserve);
    pos += reserve;
    return pos;
  }

  /** Closes the field that {@link #begin} opened with the same {@code reserve}: writes its length. */
  void end(int start, int reserve) {
    int length = pos - start;
    int needed = varintSize(length);
    if (needed != reserve) {
      ensure(needed - reserve);
      System.arraycopy(buf, start, buf, start + needed - reserve, length);
      start += needed - reserve;
      pos += needed - reserve;
    }
    int at = start - needed;
    while ((length & ~0x7F) != 0) {
      buf[at++] = (byte) ((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    buf[at] = (byte) length;
  }

  /**
   * A string field in UTF-8; an unpaired surrogate becomes {@code ?}. {@link String#getBytes} is the JDK's vectorised
   * encoder: for the ASCII text of almost every attribute it checks and copies the string's bytes in a few
   * instructions, where a loop over its chars costs several per char.
   */
  void string(int field, String s) {
    bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  /** A bytes field holding already encoded bytes. */
  void bytes(int field, byte[] value) {
    tag(field, LEN);
    varint(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, buf, pos, value.length);
    pos += value.length;
  }

  /** A bytes field from lower- or upper-case hex ({@code 2 * n} characters give n bytes; a non-hex digit counts 0). */
  void hex(int field, String hex) {
    int n = hex.length() / 2;
    tag(field, LEN);
    varint(n);
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) ((NIBBLE[hex.charAt(2 * i) & 0x7F] << 4) | NIBBLE[hex.charAt(2 * i + 1) & 0x7F]);
    }
  }

  private static final byte[] NIBBLE = new byte[128];

  static {
    for (int c = 0; c < 10; c++) {
      NIBBLE['0' + c] = (byte) c;
    }
    for (int c = 0; c < 6; c++) {
      NIBBLE['a' + c] = (byte) (10 + c);
      NIBBLE['A' + c] = (byte) (10 + c);
    }
  }

  static int varintSize(int value) {
    if ((value & ~0x7F) == 0) {
      return 1;
    }
    if ((value & ~0x3FFF) == 0) {
      return 2;
    }
    if ((value & ~0x1FFFFF) == 0) {
      return 3;
    }
    if ((value & ~0xFFFFFFF) == 0) {
      return 4;
    }
    return 5;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(pos + more, 2 * buf.length));
    }
  }
}
