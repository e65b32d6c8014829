package dev.mcpgw.gateway.usage;

/**
 * Counts {@code o200k_base} tokens without building a token list: {@link O200kSplitter} cuts the text into the pieces
 * of the encoding's regular expression, each piece is encoded to UTF-8 (a lone surrogate as {@code ?}, as
 * {@link String#getBytes} does), a piece found whole in the vocabulary is one token, and any other piece is merged
 * byte pair by byte pair, always the pair of lowest rank first (the leftmost of equal ones), until no pair is a token;
 * the parts left are its tokens. Short pieces merge in place in two small arrays, long ones (a base64 blob, a run of
 * punctuation) through a heap over a linked list so that a 1 MB piece stays linear-logarithmic. Gives exactly the
 * counts of jtokkit's {@code countTokensOrdinary} (the differential test checks it). Thread-safe.
 */
final class O200kCounter {
  /** Pieces of at least this many bytes merge through the heap. */
  static final int LARGE_PIECE = 128;
  private static final int NONE = O200kVocabulary.NONE;

  private final O200kVocabulary vocabulary;
  private final int largePiece;

  O200kCounter(O200kVocabulary vocabulary) {
    this(vocabulary, LARGE_PIECE);
  }

  /** {@code largePiece}: the size from which the heap merges (the tests lower it to check both paths). */
  O200kCounter(O200kVocabulary vocabulary, int largePiece) {
    this.vocabulary = vocabulary;
    this.largePiece = Math.max(2, largePiece);
  }

  /** The tokens of {@code text}, special tokens counted as ordinary text. */
  int count(String text) {
    int n = text.length();
    Scratch scratch = new Scratch(Math.min(n * 3, 4096));
    int tokens = 0;
    for (int p = 0; p < n; ) {
      int e = O200kSplitter.end(text, p);
      tokens += piece(text, p, e, scratch);
      p = e;
    }
    return tokens;
  }

  private int piece(String text, int from, int to, Scratch scratch) {
    int length = utf8(text, from, to, scratch);
    byte[] bytes = scratch.bytes;
    if (length == 1 || vocabulary.rank(bytes, 0, length) != NONE) {
      return 1;
    }
    return length < largePiece ? mergeSmall(bytes, length, scratch) : mergeLarge(bytes, length);
  }

  /** Writes {@code text[from, to)} as UTF-8 into the scratch buffer; its length. */
  private static int utf8(String text, int from, int to, Scratch scratch) {
    int max = (to - from) * 3;
    if (scratch.bytes.length < max) {
      scratch.bytes = new byte[Math.max(max, scratch.bytes.length * 2)];
    }
    byte[] b = scratch.bytes;
    int k = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        b[k++] = (byte) c;
      } else if (c < 0x800) {
        b[k++] = (byte) (0xC0 | (c >> 6));
        b[k++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, text.charAt(++i));
          b[k++] = (byte) (0xF0 | (cp >> 18));
          b[k++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          b[k++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          b[k++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          b[k++] = '?';
        }
      } else {
        b[k++] = (byte) (0xE0 | (c >> 12));
        b[k++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[k++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return k;
  }

  /**
   * The classic in-place merge: {@code starts[i]} is where part {@code i} begins, {@code ranks[i]} the rank of part
   * {@code i} joined with part {@code i + 1} (or {@link O200kVocabulary#NONE}).
   */
  private int mergeSmall(byte[] bytes, int length, Scratch scratch) {
    if (scratch.starts.length < length + 1) {
      scratch.starts = new int[length + 1];
      scratch.ranks = new int[length + 1];
    }
    int[] starts = scratch.starts;
    int[] ranks = scratch.ranks;
    int parts = length;
    for (int i = 0; i <= length; i++) {
      starts[i] = i;
    }
    for (int i = 0; i < parts - 1; i++) {
      ranks[i] = vocabulary.rank(bytes, i, 2);
    }
    while (parts > 1) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i < parts - 1; i++) {
        int r = ranks[i];
        if (r != NONE && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      // part best absorbs part best + 1
      System.arraycopy(starts, best + 2, starts, best + 1, parts - best - 1);
      System.arraycopy(ranks, best + 2, ranks, best + 1, Math.max(0, parts - best - 3));
      parts--;
      if (best < parts - 1) {
        ranks[best] = pairRank(bytes, starts[best], starts[best + 2]);
      }
      if (best > 0) {
        ranks[best - 1] = pairRank(bytes, starts[best - 1], starts[best + 1]);
      }
    }
    return parts;
  }

  private int pairRank(byte[] bytes, int from, int to) {
    return vocabulary.rank(bytes, from, to - from);
  }

  /**
   * The same merge order through a min-heap of (rank, position) over a linked list of parts, stale entries skipped
   * when popped: lowest rank first, the leftmost of equal ranks first, exactly as the in-place merge.
   */
  private int mergeLarge(byte[] bytes, int length) {
    int[] next = new int[length];
    int[] previous = new int[length];
    int[] rank = new int[length];
    long[] heap = new long[2 * length]; // the pairs at the start, then at most two per merge
    int size = 0;
    for (int i = 0; i < length; i++) {
      next[i] = i + 1;
      previous[i] = i - 1;
      rank[i] = i + 2 <= length ? vocabulary.rank(bytes, i, 2) : NONE;
      if (rank[i] != NONE) {
        size = push(heap, size, key(rank[i], i));
      }
    }
    int parts = length;
    while (size > 0) {
      long top = heap[0];
      size = pop(heap, size);
      int i = (int) top;
      int r = (int) (top >>> 32);
      if (rank[i] != r) {
        continue; // stale: the part was merged away or its pair changed
      }
      int j = next[i];
      int after = next[j];
      next[i] = after;
      if (after < length) {
        previous[after] = i;
      }
      rank[j] = NONE;
      parts--;
      rank[i] = after < length ? pairRank(bytes, i, next[after]) : NONE;
      if (rank[i] != NONE) {
        size = push(heap, size, key(rank[i], i));
      }
      int before = previous[i];
      if (before >= 0) {
        int updated = pairRank(bytes, before, after);
        if (updated != rank[before]) {
          rank[before] = updated;
          if (updated != NONE) {
            size = push(heap, size, key(updated, before));
          }
        }
      }
    }
    return parts;
  }

  private static long key(int rank, int position) {
    return ((long) rank << 32) | position;
  }

  private static int push(long[] heap, int size, long value) {
    int i = size;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= value) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = value;
    return size + 1;
  }

  private static int pop(long[] heap, int size) {
    long last = heap[--size];
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= last) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    if (size > 0) {
      heap[i] = last;
    }
    return size;
  }

  /** Per-call buffers: the piece's bytes and the in-place merge arrays. */
  private static final class Scratch {
    byte[] bytes;
    int[] starts = new int[64];
    int[] ranks = new int[64];

    Scratch(int bytes) {
      this.bytes = new byte[Math.max(16, bytes)];
    }
  }
}
