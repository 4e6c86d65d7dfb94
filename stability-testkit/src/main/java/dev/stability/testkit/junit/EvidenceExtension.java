package dev.stability.testkit.junit;

import dev.stability.testkit.evidence.EvidenceReport;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 extension behind {@link StabilityEvidence}: one {@link EvidenceReport} per JUnit run
 * (kept in the root extension store, shared by every class and by parallel tests), an {@link
 * EvidenceCollector} per test that names the test, and the pack written when the run ends.
 *
 * <p>Settings, as JUnit configuration parameters (a {@code -D} system property or {@code
 * junit-platform.properties}):
 *
 * <ul>
 *   <li>{@value #DIRECTORY}: where {@code evidence.json} and {@code evidence.html} go (default
 *       {@code target/stability-evidence}, relative to the working directory, which Maven's
 *       Surefire and Failsafe set to the module);
 *   <li>{@value #SYSTEM}: the system the pack is about (default: the working directory's name).
 * </ul>
 *
 * <p>A run whose tests added no evidence still writes a pack, which says so and does not pass. A
 * pack that cannot be written fails the run with an error naming the directory. Each JVM writes its
 * own pack: with several Surefire forks, give each its own directory (e.g. {@code
 * target/stability-evidence/${surefire.forkNumber}}).
 */
public final class EvidenceExtension implements BeforeAllCallback, ParameterResolver {

  /** Configuration parameter: the directory of the pack. */
  public static final String DIRECTORY = "stability.evidence.directory";

  /** Configuration parameter: the system named in the pack. */
  public static final String SYSTEM = "stability.evidence.system";

  /** Created by JUnit, from {@code @StabilityEvidence}. */
  public EvidenceExtension() {}

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EvidenceExtension.class);

  /** Opens the run's pack as the class starts: a class that adds nothing still gets a pack. */
  @Override
  public void beforeAll(ExtensionContext context) {
    pack(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EvidenceCollector.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new EvidenceCollector(pack(context).report, testName(context));
  }

  /** The run's pack, created on first use by any test of the run. */
  private static Pack pack(ExtensionContext context) {
    ExtensionContext root = context.getRoot();
    return root.getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            Pack.class,
            key -> {
              Path cwd = Path.of("").toAbsolutePath();
              Path directory =
                  cwd.resolve(
                      root.getConfigurationParameter(DIRECTORY)
                          .orElse("target/stability-evidence"));
              String system =
                  root.getConfigurationParameter(SYSTEM)
                      .orElse(cwd.getFileName() == null ? "tests" : cwd.getFileName().toString());
              return new Pack(new EvidenceReport(system), directory);
            },
            Pack.class);
  }

  /** {@code com.firm.PressureIT#ordersSustain}, with the display name when it says more. */
  static String testName(ExtensionContext context) {
    String owner = context.getRequiredTestClass().getName();
    Optional<Method> method = context.getTestMethod();
    if (method.isEmpty()) {
      return owner;
    }
    String name = owner + "#" + method.get().getName();
    String display = context.getDisplayName();
    return display.startsWith(method.get().getName() + "(") ? name : name + " [" + display + "]";
  }

  /** The report of a run and where it goes; written when JUnit closes the root store. */
  private static final class Pack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("stability.testkit.evidence");

    private final EvidenceReport report;
    private final Path directory;

    Pack(EvidenceReport report, Path directory) {
      this.report = report;
      this.directory = directory;
    }

    @Override
    public void close() {
      try {
        report.write(directory);
      } catch (UncheckedIOException e) {
        throw new IllegalStateException(
            "the stability evidence pack cannot be written to "
                + directory
                + " (set "
                + DIRECTORY
                + " to a writable directory): "
                + e.getCause(),
            e);
      }
      LOG.info(
          "[stability evidence] {}{}: {}",
          report.summary(),
          report.passed() ? "" : " (NOT PASSED)",
          directory.resolve("evidence.html"));
    }
  }
}
