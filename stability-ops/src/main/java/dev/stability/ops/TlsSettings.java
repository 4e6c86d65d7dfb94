package dev.stability.ops;

import dev.stability.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * HTTPS for the ops endpoint (R15): the application's key store (its private key and certificate
 * chain), TLS 1.2 or 1.3 only, and optionally client certificates checked against a trust store
 * (mutual TLS). Immutable; the key store is checked when built (it must hold a private key that the
 * password opens). Passwords are never printed.
 */
public final class TlsSettings {

  private static final Set<String> ALLOWED = Set.of("TLSv1.3", "TLSv1.2");

  private final KeyStore keyStore;
  private final char[] keyPassword;
  private final KeyStore clientTrustStore;
  private final List<String> protocols;

  private TlsSettings(Builder b) {
    this.keyStore = b.keyStore;
    this.keyPassword = b.keyPassword.clone();
    this.clientTrustStore = b.clientTrustStore;
    this.protocols = List.copyOf(b.protocols);
  }

  /**
   * Starts from a loaded key store and the password of its key (and store); TLS 1.3 and 1.2, no
   * client certificates.
   */
  public static Builder builder(KeyStore keyStore, char[] password) {
    return new Builder(keyStore, password);
  }

  /**
   * Starts from a key store file (PKCS12 or JKS, told apart by its content) and its password.
   *
   * @throws ConfigurationException {@code ops.tls.key-store} if the file cannot be read or opened
   *     with the password
   */
  public static Builder builder(Path keyStoreFile, char[] password) {
    return new Builder(load("ops.tls.key-store", keyStoreFile, password), password);
  }

  /** Loads a PKCS12 or JKS file, or fails naming {@code key} and the file (never the password). */
  static KeyStore load(String key, Path file, char[] password) {
    if (file == null || !Files.isReadable(file)) {
      throw new ConfigurationException(
          key, String.valueOf(file), "must be a readable key store file");
    }
    try {
      return KeyStore.getInstance(file.toFile(), password);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigurationException(
          key, String.valueOf(file), "cannot be opened with the password given: " + e.getMessage());
    }
  }

  /** The key store holding the endpoint's private key and certificate chain. */
  public KeyStore keyStore() {
    return keyStore;
  }

  /** A copy of the password of the key store and its key. */
  public char[] keyPassword() {
    return keyPassword.clone();
  }

  /** The certificates a client certificate must chain to; null when none are asked for. */
  public KeyStore clientTrustStore() {
    return clientTrustStore;
  }

  /** Whether clients must present a certificate the trust store vouches for (mutual TLS). */
  public boolean needsClientCertificates() {
    return clientTrustStore != null;
  }

  /** The TLS protocol versions offered, a subset of TLSv1.3 and TLSv1.2. */
  public List<String> protocols() {
    return protocols;
  }

  @Override
  public String toString() {
    return "TlsSettings[" + protocols + (needsClientCertificates() ? ", mutual TLS" : "") + "]";
  }

  /** Builds {@link TlsSettings}. */
  public static final class Builder {
    private final KeyStore keyStore;
    private final char[] keyPassword;
    private KeyStore clientTrustStore;
    private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");

    private Builder(KeyStore keyStore, char[] password) {
      this.keyStore = keyStore;
      this.keyPassword = password == null ? null : password.clone();
    }

    /** Requires client certificates that chain to a certificate in {@code trustStore}. */
    public Builder clientCertificates(KeyStore trustStore) {
      this.clientTrustStore = trustStore;
      return this;
    }

    /** Requires client certificates that chain to one in the trust store file (PKCS12 or JKS). */
    public Builder clientCertificates(Path trustStoreFile, char[] password) {
      this.clientTrustStore = load("ops.tls.client-trust-store", trustStoreFile, password);
      return this;
    }

    /** The protocol versions to offer; only {@code TLSv1.3} and {@code TLSv1.2} are accepted. */
    public Builder protocols(String... values) {
      this.protocols = values == null ? List.of() : Arrays.asList(values);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException if the key store is missing or holds no private key the
     *     password opens, the trust store is empty, or a protocol is older than TLS 1.2
     */
    public TlsSettings build() {
      if (keyStore == null) {
        throw new ConfigurationException("ops.tls.key-store", null, "must be set");
      }
      if (keyPassword == null) {
        throw new ConfigurationException("ops.tls.key-password", null, "must be set");
      }
      checkPrivateKey();
      if (clientTrustStore != null && size(clientTrustStore) == 0) {
        throw new ConfigurationException(
            "ops.tls.client-trust-store", "empty", "must hold the certificates clients chain to");
      }
      if (protocols.isEmpty()) {
        throw new ConfigurationException("ops.tls.protocols", "[]", "name TLSv1.3 or TLSv1.2");
      }
      for (String protocol : protocols) {
        if (!ALLOWED.contains(protocol)) {
          throw new ConfigurationException(
              "ops.tls.protocols",
              protocol,
              "only TLSv1.3 and TLSv1.2 are allowed (older versions are broken)");
        }
      }
      return new TlsSettings(this);
    }

    private void checkPrivateKey() {
      try {
        for (String alias : Collections.list(keyStore.aliases())) {
          if (keyStore.isKeyEntry(alias)) {
            if (keyStore.getKey(alias, keyPassword) != null) {
              return;
            }
          }
        }
      } catch (GeneralSecurityException e) {
        throw new ConfigurationException(
            "ops.tls.key-password", "<hidden>", "does not open the key: " + e.getMessage());
      }
      throw new ConfigurationException(
          "ops.tls.key-store", keyStore.getType(), "holds no private key entry");
    }

    private static int size(KeyStore store) {
      try {
        return store.size();
      } catch (GeneralSecurityException e) {
        throw new ConfigurationException(
            "ops.tls.client-trust-store", store.getType(), "is not loaded: " + e.getMessage());
      }
    }
  }
}
