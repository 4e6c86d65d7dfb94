package dev.stability.spring.autoconfigure.internal;

import dev.stability.api.ConfigurationException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.Guard;
import dev.stability.spring.guard.Guarded;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Proxies beans that have {@link Guarded} methods so that each such call runs through its guard.
 * Fallback methods are checked when a bean is proxied and guard names once every singleton exists:
 * a fallback that does not fit, a guard that is not defined or a method returning Reactor's {@code
 * Flux} fails startup with a {@link ConfigurationException}.
 */
public final class GuardedMethodPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
    implements SmartInitializingSingleton {

  private static final long serialVersionUID = 1L;

  private final transient ObjectProvider<StabilityRuntime> runtime;
  private final transient List<Use> uses = new ArrayList<>();

  private record Use(String guard, String where) {}

  /** Creates the post-processor; the runtime is looked up on first use. */
  public GuardedMethodPostProcessor(ObjectProvider<StabilityRuntime> runtime) {
    this.runtime = runtime;
    this.advisor =
        new DefaultPointcutAdvisor(
            new AnnotationMatchingPointcut(null, Guarded.class, true),
            new GuardedMethodInterceptor(runtime));
    setProxyTargetClass(true);
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (isEligible(bean, beanName)) {
      Class<?> type = AopUtils.getTargetClass(bean);
      ReflectionUtils.doWithMethods(
          type,
          method -> check(type, method),
          method -> AnnotatedElementUtils.hasAnnotation(method, Guarded.class));
    }
    return super.postProcessAfterInitialization(bean, beanName);
  }

  private void check(Class<?> type, Method method) {
    Guarded guarded = AnnotatedElementUtils.findMergedAnnotation(method, Guarded.class);
    if (guarded == null) {
      return;
    }
    if (method.getReturnType().getName().equals("reactor.core.publisher.Flux")) {
      throw new ConfigurationException(
          "@Guarded",
          type.getSimpleName() + "." + method.getName(),
          "a method returning Flux cannot be guarded (one guarded call per stream is not"
              + " supported yet); return Mono, CompletionStage or a plain value");
    }
    FallbackMethods.resolve(type, method, guarded.fallbackMethod());
    synchronized (uses) {
      uses.add(new Use(guarded.value(), type.getSimpleName() + "." + method.getName()));
    }
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<Use> pending;
    synchronized (uses) {
      pending = List.copyOf(uses);
      uses.clear();
    }
    if (pending.isEmpty()) {
      return;
    }
    StabilityRuntime current = runtime.getObject();
    TreeSet<String> defined = new TreeSet<>();
    for (Guard guard : current.guards().all()) {
      defined.add(guard.name());
    }
    for (Use use : pending) {
      if (!defined.contains(use.guard())) {
        throw new ConfigurationException(
            "stability.guards." + use.guard(),
            null,
            "must be defined: @Guarded on "
                + use.where()
                + " uses it (defined guards: "
                + defined
                + ")");
      }
    }
  }
}
