package dev.stability.spring.autoconfigure.internal;

import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.Guard;
import dev.stability.spring.guard.Guarded;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Runs a {@link Guarded} method through its guard and answers failures with its fallback. A method
 * returning {@code CompletionStage} or {@code CompletableFuture} runs through the guard's
 * asynchronous path (its time limit applies) and its fallback answers a failed stage; so does one
 * returning Reactor's {@code Mono}, once per subscription (see {@link GuardedMono}). The guard and
 * fallbacks of a method are looked up once and kept; a call then costs one map lookup besides the
 * guard itself. Thread-safe.
 */
final class GuardedMethodInterceptor implements MethodInterceptor {

  private final ObjectProvider<StabilityRuntime> runtimeProvider;
  private final Map<Method, Binding> bindings = new ConcurrentHashMap<>();
  private volatile StabilityRuntime runtime;

  private record Binding(Guard guard, FallbackMethods fallbacks, boolean mono) {}

  GuardedMethodInterceptor(ObjectProvider<StabilityRuntime> runtimeProvider) {
    this.runtimeProvider = runtimeProvider;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Binding binding = bindings.get(invocation.getMethod());
    if (binding == null) {
      binding = bind(invocation.getMethod(), target);
    }
    if (returnsStage(invocation.getMethod().getReturnType())) {
      return async(binding, invocation, target);
    }
    if (binding.mono()) {
      return GuardedMono.guard(binding.guard(), binding.fallbacks(), invocation, target);
    }
    try {
      return binding.guard().call(() -> proceed(invocation));
    } catch (Throwable failure) {
      return binding.fallbacks().answer(target, invocation.getArguments(), failure);
    }
  }

  private static boolean returnsStage(Class<?> type) {
    return type == CompletionStage.class || type == CompletableFuture.class;
  }

  private static CompletableFuture<Object> async(
      Binding binding, MethodInvocation invocation, Object target) {
    CompletionStage<Object> stage = binding.guard().callAsync(() -> start(invocation));
    CompletableFuture<Object> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
            return;
          }
          Throwable cause =
              failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause()
                  : failure;
          try {
            Object answer = binding.fallbacks().answer(target, invocation.getArguments(), cause);
            if (answer == null) {
              result.complete(null);
            } else {
              ((CompletionStage<?>) answer)
                  .whenComplete(
                      (v, f) -> {
                        if (f == null) {
                          result.complete(v);
                        } else {
                          result.completeExceptionally(f);
                        }
                      });
            }
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }

  @SuppressWarnings("unchecked") // returnsStage checked the method's return type
  private static CompletionStage<Object> start(MethodInvocation invocation) {
    try {
      Object stage = invocation.proceed();
      return stage != null
          ? (CompletionStage<Object>) stage
          : CompletableFuture.failedFuture(
              new NullPointerException(invocation.getMethod() + " returned no stage"));
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }

  private Binding bind(Method method, Object target) {
    Class<?> type = AopUtils.getTargetClass(target);
    Method specific = AopUtils.getMostSpecificMethod(method, type);
    Guarded guarded = AnnotatedElementUtils.findMergedAnnotation(specific, Guarded.class);
    if (guarded == null) {
      guarded = AnnotatedElementUtils.findMergedAnnotation(method, Guarded.class);
    }
    if (guarded == null) {
      throw new IllegalStateException("no @Guarded on " + method); // the pointcut matched it
    }
    StabilityRuntime current = runtime;
    if (current == null) {
      current = runtimeProvider.getObject();
      runtime = current;
    }
    Binding binding =
        new Binding(
            current.guards().guard(guarded.value()),
            FallbackMethods.resolve(type, specific, guarded.fallbackMethod()),
            // by name: GuardedMono, which loads Reactor, is loaded only for such a method
            method.getReturnType().getName().equals("reactor.core.publisher.Mono"));
    bindings.put(method, binding);
    return binding;
  }

  private static Object proceed(MethodInvocation invocation) throws Exception {
    try {
      return invocation.proceed();
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t);
    }
  }
}
