package dev.stability.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module declaration of stability-core, tried by applications that are compiled with javac and
 * run in their own JVMs: on the module path the internal packages cannot be compiled against nor
 * reached by reflection, the public ones work, and the SDK's own integration modules (by name) can
 * use the one internal package exported to them. On the class path none of this applies, which is
 * why the testkit's ArchUnit rule exists too.
 */
class ModuleEncapsulationTest {

  private static final String INTERNAL_CALL =
      "dev.stability.core.internal.DaemonThreads.named(\"probe\").newThread(() -> {}).getName()";

  /**
   * stability-core's classes and its run-time dependencies (set by the build: surefire's own module
   * path holds only the modules the module declaration names, not, for example, what Micrometer
   * needs).
   */
  private static String modulePath;

  @TempDir Path dir;

  @BeforeAll
  static void sdkModulePath() {
    modulePath = System.getProperty("stability.test.module-path");
    assertThat(modulePath).as("system property stability.test.module-path").isNotBlank();
    assertThat(ModuleEncapsulationTest.class.getModule().getName())
        .as("surefire runs this module's tests on the module path (it has a module declaration)")
        .isEqualTo("dev.stability.core");
  }

  @Test
  void anApplicationModuleCannotCompileAgainstAnInternalPackage() throws IOException {
    Path src = dir.resolve("src");
    write(src.resolve("module-info.java"), "module app { requires dev.stability.core; }");
    write(
        src.resolve("app/Main.java"),
        "package app; public class Main { public static void main(String[] a) {"
            + " System.out.println("
            + INTERNAL_CALL
            + "); } }");

    Javac result = javac("--module-path", modulePath, "-d", dir.resolve("out").toString(), src);

    assertThat(result.exitCode).as(result.output).isNotZero();
    assertThat(result.output)
        .contains("package dev.stability.core.internal is not visible")
        .contains(
            "package dev.stability.core.internal is declared in module dev.stability.core,"
                + " which does not export it to module app");
  }

  @Test
  void anApplicationModuleUsesThePublicApiAndIsRefusedTheInternalsByReflection() throws Exception {
    Path src = dir.resolve("src");
    write(src.resolve("module-info.java"), "module app { requires dev.stability.core; }");
    write(
        src.resolve("app/Main.java"),
        """
        package app;

        import dev.stability.api.ServiceIdentity;
        import dev.stability.core.StabilityRuntime;

        public class Main {
          public static void main(String[] args) throws Exception {
            ServiceIdentity identity =
                ServiceIdentity.builder().systemCode("OMS").subsystem("probe").instanceId("p1").build();
            try (StabilityRuntime runtime =
                StabilityRuntime.builder(identity).slf4jOutput(false).build()) {
              System.out.println("public api: " + runtime.identity().instanceId());
            }
            // Jackson's YAML module, found by the core by name, resolved as a service provider.
            System.out.println(
                "yaml: "
                    + dev.stability.core.guard.GuardDocuments.parse(
                            "guards:\\n  exchange-link:\\n    bulkhead:\\n",
                            dev.stability.core.guard.GuardDocuments.Format.YAML)
                        .get(0)
                        .name());
            Class<?> internal = Class.forName("dev.stability.core.internal.DaemonThreads");
            try {
              internal.getMethod("named", String.class).invoke(null, "probe");
              System.out.println("reflection: allowed");
            } catch (IllegalAccessException e) {
              System.out.println("reflection: " + e.getMessage());
            }
            try {
              internal.getMethod("named", String.class).setAccessible(true);
              System.out.println("setAccessible: allowed");
            } catch (RuntimeException e) {
              System.out.println("setAccessible: " + e.getClass().getSimpleName());
            }
          }
        }
        """);
    Path out = dir.resolve("out");
    Javac compiled = javac("--module-path", modulePath, "-d", out.toString(), src);
    assertThat(compiled.exitCode).as(compiled.output).isZero();

    String output =
        java("--module-path", out + File.pathSeparator + modulePath, "-m", "app/app.Main");

    assertThat(output)
        .contains("public api: p1")
        .contains("yaml: exchange-link")
        .contains(
            "reflection: class app.Main (in module app) cannot access class"
                + " dev.stability.core.internal.DaemonThreads (in module dev.stability.core)"
                + " because module dev.stability.core does not export dev.stability.core.internal"
                + " to module app")
        .contains("setAccessible: InaccessibleObjectException");
  }

  @Test
  void theSdksOwnIntegrationModulesReachTheInternalPackageExportedToThemByName() throws Exception {
    // A jar that says it is stability-ops (Automatic-Module-Name, as the real one does) and calls
    // the internal package the core exports to it; the same code under another name is refused.
    Path src = dir.resolve("src");
    write(
        src.resolve("probe/Probe.java"),
        "package probe; public class Probe { public static void main(String[] a) {"
            + " System.out.println(\"internal: \" + "
            + INTERNAL_CALL
            + "); } }");
    Path classes = dir.resolve("classes");
    Javac compiled = javac("--class-path", modulePath, "-d", classes.toString(), src);
    assertThat(compiled.exitCode).as(compiled.output).isZero();
    String ops = java(moduleRun(jar(classes, "dev.stability.ops"), "dev.stability.ops"));
    String other = java(moduleRun(jar(classes, "com.example.other"), "com.example.other"));

    assertThat(ops).contains("internal: probe-1");
    assertThat(other)
        .contains(
            "module dev.stability.core does not export dev.stability.core.internal to module"
                + " com.example.other");
  }

  @Test
  void onTheClassPathTheModuleDeclarationHidesNothing() throws Exception {
    Path src = dir.resolve("src");
    write(
        src.resolve("app/Main.java"),
        "package app; public class Main { public static void main(String[] a) {"
            + " System.out.println(\"internal: \" + "
            + INTERNAL_CALL
            + "); } }");
    Path out = dir.resolve("out");
    Javac compiled = javac("--class-path", modulePath, "-d", out.toString(), src);
    assertThat(compiled.exitCode).as(compiled.output).isZero();

    String output = java("--class-path", out + File.pathSeparator + modulePath, "app.Main");

    assertThat(output).contains("internal: probe-1");
  }

  // ---------------------------------------------------------------- tools

  private record Javac(int exitCode, String output) {}

  private static Javac javac(String option, String path, String d, String out, Path src)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("-Xlint:-options", option, path, d, out));
    try (var files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    StringWriter text = new StringWriter();
    PrintWriter writer = new PrintWriter(text);
    int code =
        ToolProvider.findFirst("javac")
            .orElseThrow()
            .run(writer, writer, args.toArray(new String[0]));
    writer.flush();
    return new Javac(code, text.toString());
  }

  /** A jar of {@code classes} whose manifest names it {@code moduleName}. */
  private Path jar(Path classes, String moduleName) throws IOException {
    Path manifest =
        write(dir.resolve(moduleName + ".mf"), "Automatic-Module-Name: " + moduleName + "\n");
    Path jar = dir.resolve(moduleName + ".jar");
    StringWriter text = new StringWriter();
    PrintWriter writer = new PrintWriter(text);
    int code =
        ToolProvider.findFirst("jar")
            .orElseThrow()
            .run(
                writer,
                writer,
                "--create",
                "--file",
                jar.toString(),
                "--manifest",
                manifest.toString(),
                "-C",
                classes.toString(),
                ".");
    assertThat(code).as(text.toString()).isZero();
    return jar;
  }

  /**
   * Runs the probe as an automatic module. An automatic module requires nothing, so the core is
   * added to the graph as an application that requires both would.
   */
  private static String[] moduleRun(Path jar, String moduleName) {
    return new String[] {
      "--module-path",
      jar + File.pathSeparator + modulePath,
      "--add-modules",
      "dev.stability.core",
      "-m",
      moduleName + "/probe.Probe"
    };
  }

  /** Runs a child JVM and returns what it printed (standard output and error). */
  private static String java(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] output = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
      return new String(output, StandardCharsets.UTF_8);
    } finally {
      process.destroyForcibly();
    }
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
