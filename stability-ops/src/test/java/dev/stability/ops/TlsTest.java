package dev.stability.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS beyond loopback with key stores made here by the JDK's keytool (in a child process): a
 * client that verifies the server's certificate, one that does not trust it, mutual TLS, and the
 * refusal to serve plain HTTP beyond loopback unless told so.
 */
class TlsTest {

  private static final String TOKEN = "zhang-0123456789abcdef0123456789abcdef";
  private static final char[] PASSWORD = "changeit-test".toCharArray();

  @TempDir static Path stores;
  private static Path serverStore;
  private static Path clientTrustsServer;
  private static Path clientStore;
  private static Path serverTrustsClient;
  private static Path strangerStore;

  private final CapturingSink sink = new CapturingSink();
  private StabilityRuntime runtime;
  private OpsEndpoint endpoint;

  @BeforeAll
  static void makeKeyStores() throws Exception {
    serverStore = stores.resolve("server.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "ops",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=ops-endpoint",
        "-ext",
        "SAN=IP:127.0.0.1,DNS:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        serverStore.toString());
    keytool(
        "-exportcert",
        "-alias",
        "ops",
        "-keystore",
        serverStore.toString(),
        "-file",
        stores.resolve("server.cer").toString());
    clientTrustsServer = stores.resolve("client-trust.p12");
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ops",
        "-file",
        stores.resolve("server.cer").toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        clientTrustsServer.toString());

    clientStore = stores.resolve("client.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "zhang",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=zhang.san",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        clientStore.toString());
    keytool(
        "-exportcert",
        "-alias",
        "zhang",
        "-keystore",
        clientStore.toString(),
        "-file",
        stores.resolve("client.cer").toString());
    serverTrustsClient = stores.resolve("server-trust.p12");
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "zhang",
        "-file",
        stores.resolve("client.cer").toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        serverTrustsClient.toString());

    strangerStore = stores.resolve("stranger.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "stranger",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=stranger",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        strangerStore.toString());
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", new String(PASSWORD)));
    if (args[0].equals("-genkeypair")) {
      command.addAll(List.of("-keypass", new String(PASSWORD)));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
      assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    } finally {
      process.destroyForcibly();
    }
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  private void start(OpsEndpointSettings.Builder settings) {
    runtime = TestRuntimes.quiet("a1").eventSink(sink).build();
    endpoint = OpsEndpoint.start(runtime, settings.token("zhang.san", TOKEN).build());
  }

  private static OpsEndpointSettings.Builder beyondLoopback() throws IOException {
    // Listening on every interface is "beyond loopback"; the test talks to it on 127.0.0.1 only.
    return OpsEndpointSettings.builder().address(InetAddress.getByName("0.0.0.0"));
  }

  private URI local(String path) {
    return URI.create("https://127.0.0.1:" + endpoint.address().getPort() + path);
  }

  private static SSLContext client(Path trust, Path key) throws Exception {
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(KeyStore.getInstance(trust.toFile(), PASSWORD));
    KeyManagerFactory keyManagers = null;
    if (key != null) {
      keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(KeyStore.getInstance(key.toFile(), PASSWORD), PASSWORD);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keyManagers == null ? null : keyManagers.getKeyManagers(),
        trustManagers.getTrustManagers(),
        null);
    return context;
  }

  private HttpResponse<String> get(SSLContext context, String path) throws Exception {
    HttpClient http =
        HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(
        HttpRequest.newBuilder(local(path))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttpsBeyondLoopbackToAClientThatVerifiesTheCertificate() throws Exception {
    start(beyondLoopback().tls(TlsSettings.builder(serverStore, PASSWORD).build()));
    assertThat(endpoint.uri().getScheme()).isEqualTo("https");

    HttpResponse<String> guards = get(client(clientTrustsServer, null), "/guards");
    assertThat(guards.statusCode()).isEqualTo(200);
    assertThat(guards.sslSession()).isPresent();
    assertThat(guards.sslSession().get().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    assertThat(guards.sslSession().get().getPeerPrincipal().getName()).isEqualTo("CN=ops-endpoint");

    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("OPS_ENDPOINT_STARTED").get(0).message()).contains("https://");
    assertThat(sink.withCode("OPS_ENDPOINT_PLAIN_HTTP")).isEmpty();
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateGetsNoAnswer() throws Exception {
    start(beyondLoopback().tls(TlsSettings.builder(serverStore, PASSWORD).build()));
    // Trusts only the stranger's certificate: the server's does not verify.
    Path strangerTrust = stores.resolve("stranger-trust.p12");
    if (!strangerTrust.toFile().exists()) {
      keytool(
          "-exportcert",
          "-alias",
          "stranger",
          "-keystore",
          strangerStore.toString(),
          "-file",
          stores.resolve("stranger.cer").toString());
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          "stranger",
          "-file",
          stores.resolve("stranger.cer").toString(),
          "-storetype",
          "PKCS12",
          "-keystore",
          strangerTrust.toString());
    }
    assertThatThrownBy(() -> get(client(strangerTrust, null), "/guards"))
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("PKIX");
  }

  @Test
  void plainHttpToTheHttpsPortIsNotServed() throws Exception {
    start(beyondLoopback().tls(TlsSettings.builder(serverStore, PASSWORD).build()));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI plain = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/health/liveness");
    boolean answered200;
    try {
      answered200 =
          http.send(
                      HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(5)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode()
              == 200;
    } catch (IOException e) {
      answered200 = false;
    }
    assertThat(answered200).isFalse();
  }

  @Test
  void mutualTlsAdmitsAClientWithATrustedCertificateAndRefusesOneWithout() throws Exception {
    start(
        beyondLoopback()
            .tls(
                TlsSettings.builder(serverStore, PASSWORD)
                    .clientCertificates(serverTrustsClient, PASSWORD)
                    .build()));
    HttpResponse<String> withCertificate =
        get(client(clientTrustsServer, clientStore), "/health/liveness");
    assertThat(withCertificate.statusCode()).isEqualTo(200);

    assertThatThrownBy(() -> get(client(clientTrustsServer, null), "/health/liveness"))
        .as("no client certificate")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(client(clientTrustsServer, strangerStore), "/health/liveness"))
        .as("a certificate the server does not trust")
        .isInstanceOf(IOException.class);
  }

  @Test
  void refusesToStartPlainHttpBeyondLoopbackUnlessToldSo() throws Exception {
    assertThatThrownBy(() -> beyondLoopback().token("zhang.san", TOKEN).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "ops.tls = '0.0.0.0': an endpoint bound beyond loopback serves HTTPS only");
    assertThat(endpoint).isNull();
  }

  @Test
  void plainHttpBeyondLoopbackWhenAllowedExplicitlyIsReportedWithAWarning() throws Exception {
    start(beyondLoopback().plainHttpBeyondLoopback(true));
    assertThat(endpoint.uri().getScheme()).isEqualTo("http");
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("OPS_ENDPOINT_PLAIN_HTTP")).hasSize(1);
    assertThat(sink.withCode("OPS_ENDPOINT_PLAIN_HTTP").get(0).level().name()).isEqualTo("WARN");
    assertThat(sink.withCode("OPS_ENDPOINT_PLAIN_HTTP").get(0).message())
        .contains("bearer tokens cross the network in clear text");
  }

  @Test
  void badTlsSettingsFailWhenBuiltWithoutShowingThePassword() {
    assertThatThrownBy(() -> TlsSettings.builder(serverStore, "wrong-password".toCharArray()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("ops.tls.key-store = '" + serverStore + "': cannot be opened")
        .hasMessageNotContaining("wrong-password");
    assertThatThrownBy(
            () -> TlsSettings.builder(serverStore, PASSWORD).protocols("TLSv1.1").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "ops.tls.protocols = 'TLSv1.1': only TLSv1.3 and TLSv1.2 are allowed (older versions"
                + " are broken)");
    assertThatThrownBy(() -> TlsSettings.builder(clientTrustsServer, PASSWORD).build())
        .as("a trust store holds no private key")
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("holds no private key entry");
  }
}
