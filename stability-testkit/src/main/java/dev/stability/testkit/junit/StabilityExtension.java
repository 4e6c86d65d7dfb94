package dev.stability.testkit.junit;

import dev.stability.api.ServiceIdentity;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.testkit.RecordingEventSink;
import dev.stability.testkit.fault.Fault;
import dev.stability.testkit.fault.Faults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link StabilityTest}: builds one {@link TestRuntime} per test
 * method on first use, keeps it in the test's own extension store (so parallel tests never share
 * one) and closes it, with its temporary directory, after the test.
 */
public final class StabilityExtension implements ParameterResolver, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(StabilityExtension.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** Created by JUnit, from {@code @StabilityTest}. */
  public StabilityExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestRuntime.class
        || type == StabilityRuntime.class
        || type == RecordingEventSink.class
        || type == ManualClock.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestRuntime runtime = testRuntime(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == TestRuntime.class) {
      return runtime;
    }
    if (type == StabilityRuntime.class) {
      return runtime.runtime();
    }
    if (type == RecordingEventSink.class) {
      return runtime.events();
    }
    return runtime
        .clock()
        .orElseThrow(
            () ->
                new ParameterResolutionException(
                    "a ManualClock parameter needs @StabilityTest(manualClock = true)"));
  }

  private TestRuntime testRuntime(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("runtime", key -> create(context), TestRuntime.class);
  }

  private static TestRuntime create(ExtensionContext context) {
    StabilityTest settings =
        AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), StabilityTest.class)
            .or(
                () ->
                    AnnotationSupport.findAnnotation(
                        context.getRequiredTestClass(), StabilityTest.class))
            .orElseThrow(() -> new ParameterResolutionException("@StabilityTest is missing"));
    Path tempDir;
    try {
      tempDir = Files.createTempDirectory("stability-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RecordingEventSink events = new RecordingEventSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ManualClock clock =
        settings.manualClock()
            ? ManualClock.at(Instant.parse("2026-01-05T01:00:00Z"), ZoneId.of("Asia/Shanghai"))
            : null;
    String instance =
        (settings.instanceId() + "-" + SEQUENCE.incrementAndGet()).toLowerCase(Locale.ROOT);
    StabilityRuntime.Builder builder =
        StabilityRuntime.builder(
                ServiceIdentity.builder()
                    .systemCode(settings.systemCode())
                    .subsystem("test")
                    .instanceId(instance)
                    .build())
            .meterRegistry(registry)
            .eventSink(events);
    if (clock != null) {
      builder.clock(clock);
    }
    for (String resource : settings.guards()) {
      builder.guards(copy(resource, tempDir));
    }
    TestRuntime runtime = new TestRuntime(builder.build(), events, registry, clock, tempDir);
    List<InjectFault> faults =
        new ArrayList<>(
            AnnotationSupport.findRepeatableAnnotations(
                context.getRequiredTestClass(), InjectFault.class));
    faults.addAll(
        AnnotationSupport.findRepeatableAnnotations(
            context.getRequiredTestMethod(), InjectFault.class));
    for (InjectFault fault : faults) {
      Faults.inject(runtime.runtime().guards().guard(fault.guard()), toFault(fault, clock));
    }
    return runtime;
  }

  private static Fault toFault(InjectFault declared, ManualClock clock) {
    Fault fault = Faults.errorRate(0, 0, IllegalStateException::new);
    if (declared.latencyMs() > 0) {
      Duration latency = Duration.ofMillis(declared.latencyMs());
      fault = clock != null ? Faults.latency(latency, clock) : Faults.latency(latency);
    }
    if (declared.errorRate() > 0) {
      fault =
          fault.then(
              Faults.errorRate(
                  declared.errorRate(),
                  declared.seed(),
                  () -> instantiate(declared.exception(), declared.guard())));
    }
    return fault;
  }

  private static Exception instantiate(Class<? extends Exception> type, String guard) {
    String message = "fault injected into guard '" + guard + "' by @InjectFault";
    try {
      return type.getConstructor(String.class).newInstance(message);
    } catch (ReflectiveOperationException noMessageConstructor) {
      try {
        return type.getConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        return new IllegalStateException(
            message + " (" + type.getName() + " has no public String or no-arg constructor)");
      }
    }
  }

  private static Path copy(String resource, Path dir) {
    String path = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new ParameterResolutionException(
            "guard configuration resource '" + resource + "' is not on the test class path");
      }
      Path target = dir.resolve(Path.of(path).getFileName().toString());
      Files.writeString(target, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    TestRuntime runtime = context.getStore(NAMESPACE).remove("runtime", TestRuntime.class);
    if (runtime != null) {
      runtime.close();
      delete(runtime.tempDir());
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
