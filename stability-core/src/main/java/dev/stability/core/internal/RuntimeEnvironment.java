package dev.stability.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * What the SDK runs on, found once at start: the SDK's own version, the JDK, the {@code slf4j-api}
 * on the class path and whether it has the 2.0 fluent API, the SLF4J provider and the logging
 * backend with their versions. {@code RUNTIME_STARTED} carries it, so one log line tells a support
 * engineer the environment, and a {@link LinkageError} from an output is answered with the versions
 * found beside the versions supported. Detection never throws: what cannot be read is {@code
 * unknown}. Immutable. Internal.
 */
public final class RuntimeEnvironment {

  /** The versions the SDK is built and tested for, as a user reads them in the README. */
  public static final String SUPPORTED =
      "slf4j-api 1.7.25 to 1.7.x or 2.0.x; Logback 1.2.x to 1.5.x; Log4j2 2.17 or newer;"
          + " JDK 17 or newer";

  private static final String NOP_FACTORY = "org.slf4j.helpers.NOPLoggerFactory";

  private final String sdkVersion;
  private final String jdk;
  private final String slf4jApi;
  private final boolean slf4jFluentApi;
  private final String slf4jProvider;
  private final String loggingBackend;

  private RuntimeEnvironment(
      String sdkVersion,
      String jdk,
      String slf4jApi,
      boolean slf4jFluentApi,
      String slf4jProvider,
      String loggingBackend) {
    this.sdkVersion = sdkVersion;
    this.jdk = jdk;
    this.slf4jApi = slf4jApi;
    this.slf4jFluentApi = slf4jFluentApi;
    this.slf4jProvider = slf4jProvider;
    this.loggingBackend = loggingBackend;
  }

  /** Found once per class loader: the class path and the JVM do not change while it runs. */
  private static volatile RuntimeEnvironment detected;

  /**
   * Looks at the class path and the JVM, once (later calls return the same value: jars are not
   * opened again for every runtime). May initialise SLF4J (as logging anything would).
   */
  public static RuntimeEnvironment detect() {
    RuntimeEnvironment environment = detected;
    if (environment == null) {
      environment = probe();
      detected = environment;
    }
    return environment;
  }

  private static RuntimeEnvironment probe() {
    String jdk =
        System.getProperty("java.runtime.version", System.getProperty("java.version", "unknown"))
            + " ("
            + System.getProperty("java.vendor", "unknown vendor")
            + ")";
    String api = "absent";
    boolean fluent = false;
    String provider = "none";
    String backend = "none";
    try {
      Class<?> factory = Class.forName("org.slf4j.LoggerFactory");
      api = versionOf(factory);
      fluent = hasFluentApi();
      Object loggerFactory = factory.getMethod("getILoggerFactory").invoke(null);
      provider = loggerFactory == null ? "none" : loggerFactory.getClass().getName();
      backend = backendOf(provider, loggerFactory == null ? null : loggerFactory.getClass());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      provider = "unreadable (" + e + ")";
    }
    return new RuntimeEnvironment(readSdkVersion(), jdk, api, fluent, provider, backend);
  }

  /**
   * Whether the {@code slf4j-api} on the class path has the 2.0 fluent API ({@code Logger.atLevel},
   * key-values); 1.7 has not.
   */
  public static boolean hasFluentApi() {
    try {
      Class<?> level = Class.forName("org.slf4j.event.Level");
      Class.forName("org.slf4j.Logger").getMethod("atLevel", level);
      Class.forName("org.slf4j.spi.LoggingEventBuilder");
      return true;
    } catch (ReflectiveOperationException | LinkageError e) {
      return false;
    }
  }

  /** The SDK's version, from the resource the build writes. */
  public String sdkVersion() {
    return sdkVersion;
  }

  /** The JDK: runtime version and vendor. */
  public String jdk() {
    return jdk;
  }

  /** The {@code slf4j-api} version found, {@code unknown} or {@code absent}. */
  public String slf4jApi() {
    return slf4jApi;
  }

  /** Whether that {@code slf4j-api} has the 2.0 fluent API with key-values. */
  public boolean slf4jFluentApi() {
    return slf4jFluentApi;
  }

  /** The class of SLF4J's logger factory: the provider that receives SLF4J output. */
  public String slf4jProvider() {
    return slf4jProvider;
  }

  /** The logging backend behind SLF4J with its version, or {@code none (NOP)}. */
  public String loggingBackend() {
    return loggingBackend;
  }

  /** Whether SLF4J found no provider, so whatever is logged through it goes nowhere. */
  public boolean slf4jHasNoProvider() {
    return NOP_FACTORY.equals(slf4jProvider) || "none".equals(slf4jProvider);
  }

  /** The environment as record attributes: {@code sdk_version}, {@code jdk}, {@code slf4j_*}. */
  public Map<String, String> attrs() {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("sdk_version", sdkVersion);
    attrs.put("jdk", jdk);
    attrs.put("slf4j_api", slf4jApi + (slf4jFluentApi ? " (key-values)" : " (1.x API, MDC)"));
    attrs.put("slf4j_provider", slf4jProvider);
    attrs.put("logging_backend", loggingBackend);
    return attrs;
  }

  /** One line: {@code SDK 0.1.0, JDK 17.0.15 (Debian), slf4j-api 1.7.36, Logback 1.2.13}. */
  public String summary() {
    return "SDK "
        + sdkVersion
        + ", JDK "
        + jdk
        + ", slf4j-api "
        + slf4jApi
        + ", backend "
        + loggingBackend;
  }

  /**
   * What to do about a linkage error thrown by an output: the versions found, the versions
   * supported and how to find the culprit. A linkage error means two libraries on the class path
   * were built against different versions of a third.
   */
  public String remedy(LinkageError error) {
    String library = libraryOf(error);
    return "a library on the class path is not the version the caller was built against ("
        + error.getClass().getSimpleName()
        + (error.getMessage() == null ? "" : ": " + error.getMessage())
        + "). Found: slf4j-api "
        + slf4jApi
        + ", backend "
        + loggingBackend
        + (library == null ? "" : ", " + library)
        + ". Supported: "
        + SUPPORTED
        + ". Align the versions in the application's build (mvn dependency:tree shows which"
        + " dependency brings the other one).";
  }

  /** The jar and version of the class a linkage error names, when it names one that loads. */
  private static String libraryOf(LinkageError error) {
    String message = error.getMessage();
    if (message == null) {
      return null;
    }
    // NoSuchMethodError: 'boolean org.slf4j.Logger.isEnabledForLevel(org.slf4j.event.Level)';
    // NoClassDefFoundError: org/slf4j/spi/LoggingEventBuilder.
    for (String token : message.split("[\\s'(),]+")) {
      String name = token.replace('/', '.');
      while (name.contains(".")) {
        try {
          Class<?> type = Class.forName(name, false, RuntimeEnvironment.class.getClassLoader());
          return name + " from " + jarName(type) + " " + versionOf(type);
        } catch (ClassNotFoundException | LinkageError e) {
          name = name.substring(0, name.lastIndexOf('.')); // drop a method name and retry
        }
      }
    }
    return null;
  }

  private static String backendOf(String provider, Class<?> factory) {
    if (factory == null || provider.equals(NOP_FACTORY)) {
      return "none (NOP: SLF4J found no provider)";
    }
    if (provider.startsWith("ch.qos.logback.")) {
      return "Logback " + versionOf(factory);
    }
    if (provider.startsWith("org.apache.logging.slf4j.")) {
      String core = "unknown";
      try {
        core = versionOf(Class.forName("org.apache.logging.log4j.core.LoggerContext"));
      } catch (ClassNotFoundException | LinkageError e) {
        core = "without log4j-core";
      }
      return "Log4j2 " + core + " (binding " + versionOf(factory) + ")";
    }
    if (provider.startsWith("org.slf4j.")) {
      return provider.substring(provider.lastIndexOf('.') + 1) + " " + versionOf(factory);
    }
    return provider + " " + versionOf(factory);
  }

  private static String readSdkVersion() {
    try (InputStream in =
        RuntimeEnvironment.class.getResourceAsStream("/dev/stability/core/sdk.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * A class's library version: the package's {@code Implementation-Version}, else the jar's {@code
   * Bundle-Version}, else the version in the jar's Maven {@code pom.properties}.
   */
  static String versionOf(Class<?> type) {
    Package pkg = type.getPackage();
    if (pkg != null && pkg.getImplementationVersion() != null) {
      return pkg.getImplementationVersion();
    }
    Path jar = jarOf(type);
    if (jar == null) {
      return "unknown";
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      if (manifest != null) {
        String bundle = manifest.getMainAttributes().getValue("Bundle-Version");
        if (bundle != null) {
          return bundle;
        }
      }
      for (ZipEntry entry : Collections.list(file.entries())) {
        if (entry.getName().startsWith("META-INF/maven/")
            && entry.getName().endsWith("/pom.properties")) {
          Properties properties = new Properties();
          try (InputStream in = file.getInputStream(entry)) {
            properties.load(in);
          }
          return properties.getProperty("version", "unknown");
        }
      }
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
    return "unknown";
  }

  private static String jarName(Class<?> type) {
    Path jar = jarOf(type);
    return jar == null ? "a classes directory" : String.valueOf(jar.getFileName());
  }

  private static Path jarOf(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location == null || !"file".equals(location.getProtocol())) {
        return null;
      }
      Path path = Path.of(location.toURI());
      return Files.isRegularFile(path) ? path : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
