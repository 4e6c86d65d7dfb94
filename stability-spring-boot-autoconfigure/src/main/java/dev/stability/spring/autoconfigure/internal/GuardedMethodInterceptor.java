package dev.stability.spring.autoconfigure.internal;

import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.Guard;
import dev.stability.spring.guard.Guarded;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Runs a {@link Guarded} method through its guard and answers failures with its fallback. The guard
 * and fallbacks of a method are looked up once and kept; a call then costs one map lookup besides
 * the guard itself. Thread-safe.
 */
final class GuardedMethodInterceptor implements MethodInterceptor {

  private final ObjectProvider<StabilityRuntime> runtimeProvider;
  private final Map<Method, Binding> bindings = new ConcurrentHashMap<>();
  private volatile StabilityRuntime runtime;

  private record Binding(Guard guard, FallbackMethods fallbacks) {}

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
    try {
      return binding.guard().call(() -> proceed(invocation));
    } catch (Throwable failure) {
      return binding.fallbacks().answer(target, invocation.getArguments(), failure);
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
            FallbackMethods.resolve(type, specific, guarded.fallbackMethod()));
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
