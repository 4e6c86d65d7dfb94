package dev.stability.core.operations.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The link of the operation log's chain: SHA-256, or HMAC-SHA256 when a key is configured, over the
 * previous hash, a newline, and the record's line without its hash. With a key kept away from the
 * log, someone who can write the log cannot recompute a valid chain after changing it.
 */
final class ChainHash {

  private final byte[] key;

  ChainHash(byte[] key) {
    this.key = key == null ? null : key.clone();
  }

  String link(String previous, String json) {
    try {
      byte[] digest;
      if (key == null) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(previous.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) '\n');
        sha.update(json.getBytes(StandardCharsets.UTF_8));
        digest = sha.digest();
      } else {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(previous.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '\n');
        mac.update(json.getBytes(StandardCharsets.UTF_8));
        digest = mac.doFinal();
      }
      return HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has SHA-256 and HmacSHA256", e);
    }
  }
}
