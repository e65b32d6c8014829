package dev.mcpgw.observability.internal.privacy;

/**
 * Values the sanitiser has already scanned and found clean, so that the many repeated values of span attributes
 * (method, tool and upstream names, tenant and user ids, addresses, protocol versions, span names) are not scanned
 * again for every span. A direct-mapped table of a fixed number of short strings: a lookup is a hash (cached in the
 * string after its first use) and one {@code equals}; a newer value simply replaces whatever shared its slot.
 *
 * <p>Unsynchronised on purpose: a slot holds a reference to an immutable string, so a racing reader sees either the
 * old or the new value, and a hit still needs the content to be equal. Only values that passed every rule are
 * added, and the rules of a sanitiser never change, so a hit always means "clean". Memory is bounded by
 * {@link #SLOTS} strings of at most {@link #MAX_LENGTH} characters (payloads and messages are longer and always
 * scanned).
 */
final class KnownCleanValues {

  static final int SLOTS = 2048;
  static final int MAX_LENGTH = 128;

  private final String[] slots = new String[SLOTS];

  boolean contains(String value) {
    if (value.length() > MAX_LENGTH) {
      return false;
    }
    String known = slots[slot(value)];
    return known != null && known.equals(value);
  }

  void add(String value) {
    if (value.length() <= MAX_LENGTH) {
      slots[slot(value)] = value;
    }
  }

  private static int slot(String value) {
    int h = value.hashCode();
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
