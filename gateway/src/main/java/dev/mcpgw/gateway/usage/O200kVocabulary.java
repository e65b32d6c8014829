package dev.mcpgw.gateway.usage;

import com.knuddels.jtokkit.api.Encoding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The {@code o200k_base} byte-pair ranks: byte sequence to rank, in one open-addressing table over one byte pool,
 * looked up by a range of a caller's buffer without allocating. Read once from the {@code o200k_base.tiktoken} file that ships
 * inside jtokkit's jar (jtokkit's public API does not expose the ranks, and with this table jtokkit's own
 * {@code o200k_base} is never loaded). Immutable once built; thread-safe.
 */
final class O200kVocabulary {
  static final String RESOURCE = "/com/knuddels/jtokkit/o200k_base.tiktoken";
  /** Returned by {@link #rank} for a sequence that is not a token. */
  static final int NONE = -1;

  private final byte[] pool;
  private final int[] slotRank;
  private final int[] slotOffset;
  private final int[] slotLength;
  private final int mask;
  private final int maxLength;
  private final int size;

  private O200kVocabulary(byte[] pool, int[] slotRank, int[] slotOffset, int[] slotLength, int maxLength, int size) {
    this.pool = pool;
    this.slotRank = slotRank;
    this.slotOffset = slotOffset;
    this.slotLength = slotLength;
    this.mask = slotRank.length - 1;
    this.maxLength = maxLength;
    this.size = size;
  }

  /** The vocabulary of jtokkit's jar, read once per class loader. */
  static O200kVocabulary shared() {
    return Holder.SHARED;
  }

  private static final class Holder {
    static final O200kVocabulary SHARED = load();
  }

  /**
   * @throws IllegalStateException when jtokkit's jar on the class path carries no {@code o200k_base} ranks
   */
  static O200kVocabulary load() {
    try (InputStream in = Encoding.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the o200k_base ranks " + RESOURCE + " are not on the class path (jtokkit)");
      }
      return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the o200k_base ranks " + RESOURCE, e);
    }
  }

  private static O200kVocabulary read(BufferedReader reader) throws IOException {
    Base64.Decoder base64 = Base64.getDecoder();
    byte[] pool = new byte[1 << 21];
    int used = 0;
    int[] offsets = new int[1 << 18];
    int[] lengths = new int[1 << 18];
    int[] ranks = new int[1 << 18];
    int count = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      int space = line.indexOf(' ');
      if (space < 0) {
        continue;
      }
      byte[] token = base64.decode(line.substring(0, space));
      if (used + token.length > pool.length) {
        pool = Arrays.copyOf(pool, pool.length * 2);
      }
      if (count == ranks.length) {
        offsets = Arrays.copyOf(offsets, count * 2);
        lengths = Arrays.copyOf(lengths, count * 2);
        ranks = Arrays.copyOf(ranks, count * 2);
      }
      System.arraycopy(token, 0, pool, used, token.length);
      offsets[count] = used;
      lengths[count] = token.length;
      ranks[count] = Integer.parseInt(line, space + 1, line.length(), 10);
      used += token.length;
      count++;
    }
    int slots = Integer.highestOneBit(Math.max(16, count * 2)) << 1;
    int[] slotRank = new int[slots];
    Arrays.fill(slotRank, NONE);
    int[] slotOffset = new int[slots];
    int[] slotLength = new int[slots];
    int maxLength = 0;
    pool = Arrays.copyOf(pool, used);
    for (int i = 0; i < count; i++) {
      int slot = hash(pool, offsets[i], lengths[i]) & (slots - 1);
      while (slotRank[slot] != NONE) {
        slot = (slot + 1) & (slots - 1);
      }
      slotRank[slot] = ranks[i];
      slotOffset[slot] = offsets[i];
      slotLength[slot] = lengths[i];
      maxLength = Math.max(maxLength, lengths[i]);
    }
    return new O200kVocabulary(pool, slotRank, slotOffset, slotLength, maxLength, count);
  }

  private static int hash(byte[] bytes, int from, int length) {
    int h = length * 0x9E3779B9;
    for (int i = from, end = from + length; i < end; i++) {
      h = (h ^ bytes[i]) * 0x01000193;
    }
    return h ^ (h >>> 15);
  }

  /** The rank of {@code bytes[from, from + length)}, or {@link #NONE} when it is not a token. */
  int rank(byte[] bytes, int from, int length) {
    if (length > maxLength) {
      return NONE;
    }
    int slot = hash(bytes, from, length) & mask;
    int rank;
    while ((rank = slotRank[slot]) != NONE) {
      if (slotLength[slot] == length) {
        int offset = slotOffset[slot];
        if (Arrays.equals(pool, offset, offset + length, bytes, from, from + length)) {
          return rank;
        }
      }
      slot = (slot + 1) & mask;
    }
    return NONE;
  }

  int size() {
    return size;
  }
}
