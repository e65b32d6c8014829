package dev.mcpgw.gateway.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the registry's secret columns with AES-256-GCM: a random 96-bit nonce per value, the column name as
 * associated data (a value moved to another column does not decrypt), stored as {@code enc:v1:} followed by the
 * base64 of nonce and ciphertext. A value without the prefix is a plaintext one written before encryption existed.
 */
public final class SecretCipher {
  /** The prefix of every encrypted value; the version names the algorithm and layout. */
  public static final String PREFIX = "enc:v1:";
  static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SecretCipher PROCESS = new SecretCipher(randomKey());

  private final SecretKey key;
  private final String keySource;

  private SecretCipher(byte[] key, String keySource) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an AES-256 key has " + KEY_BYTES + " bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.keySource = keySource;
  }

  private SecretCipher(byte[] key) {
    this(key, "a key generated for this process");
  }

  /** @param keySource the setting the key came from, for error messages; never the key */
  static SecretCipher of(byte[] key, String keySource) {
    return new SecretCipher(key, keySource);
  }

  /**
   * A key generated once for the life of this process: for tools and tests that open a registry they do not keep.
   * What it encrypts cannot be read after a restart.
   */
  public static SecretCipher processKey() {
    return PROCESS;
  }

  /**
   * A 32-byte key for {@code purpose}, derived from this key (HMAC-SHA256 of the purpose): the same on every gateway
   * instance that shares the secret key, and telling nothing about it.
   */
  public byte[] derivedKey(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Whether {@code stored} was written by {@link #encrypt} (else it is a plaintext value or {@code null}). */
  public static boolean isEncrypted(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  /** {@code plaintext} sealed for {@code column}; {@code null} stays {@code null}. */
  public String encrypt(String plaintext, String column) {
    if (plaintext == null) {
      return null;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(column.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
          .put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The plaintext of a value of {@code column}: decrypted when it has the prefix, as it is otherwise.
   *
   * @throws SecretKeyMismatchException when it does not decrypt with this key (wrong key, or a damaged value); the
   *     message names the column and the key's source, never a value
   */
  public String decrypt(String stored, String column) {
    if (!isEncrypted(stored)) {
      return stored;
    }
    try {
      byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      if (all.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new SecretKeyMismatchException(column, keySource);
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      c.updateAAD(column.getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SecretKeyMismatchException(column, keySource);
    }
  }

  private static byte[] randomKey() {
    byte[] k = new byte[KEY_BYTES];
    RANDOM.nextBytes(k);
    return k;
  }

  @Override
  public String toString() {
    return "SecretCipher[AES-256-GCM, key from " + keySource + "]";
  }
}
