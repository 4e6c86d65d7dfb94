package dev.stability.spring.autoconfigure.internal;

import dev.stability.api.ConfigurationException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback methods of one {@code @Guarded} method: methods of the same class with its name, the
 * guarded method's parameters plus a last {@link Throwable} parameter, and a return type the caller
 * can take. Resolved once, when the bean is proxied; immutable.
 */
final class FallbackMethods {

  static final FallbackMethods NONE = new FallbackMethods(List.of());

  private final List<Method> candidates;

  private FallbackMethods(List<Method> candidates) {
    this.candidates = candidates;
  }

  /**
   * Finds the fallbacks named {@code name} for {@code guarded} in {@code type}.
   *
   * @throws ConfigurationException if none fits
   */
  static FallbackMethods resolve(Class<?> type, Method guarded, String name) {
    if (name.isEmpty()) {
      return NONE;
    }
    Class<?>[] params = guarded.getParameterTypes();
    Class<?> returns = guarded.getReturnType();
    List<Method> found = new ArrayList<>();
    ReflectionUtils.doWithMethods(
        type,
        found::add,
        m ->
            m.getName().equals(name)
                && m.getParameterCount() == params.length + 1
                && Arrays.equals(Arrays.copyOf(m.getParameterTypes(), params.length), params)
                && Throwable.class.isAssignableFrom(m.getParameterTypes()[params.length])
                && (returns == void.class
                    ? m.getReturnType() == void.class
                    : ClassUtils.isAssignable(returns, m.getReturnType())));
    if (found.isEmpty()) {
      throw new ConfigurationException(
          "@Guarded.fallbackMethod",
          name,
          "must name a method of "
              + type.getName()
              + " taking "
              + describe(params)
              + " and a last Throwable parameter, returning "
              + returns.getSimpleName()
              + " (for "
              + guarded.getName()
              + ")");
    }
    found.forEach(ReflectionUtils::makeAccessible);
    return new FallbackMethods(List.copyOf(found));
  }

  /**
   * Answers {@code failure} with the closest fallback, or rethrows it when no fallback takes its
   * type.
   */
  Object answer(Object target, Object[] args, Throwable failure) throws Throwable {
    Method best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Method candidate : candidates) {
      Class<?> accepted = candidate.getParameterTypes()[args.length];
      if (accepted.isInstance(failure)) {
        int distance = distance(failure.getClass(), accepted);
        if (distance < bestDistance) {
          best = candidate;
          bestDistance = distance;
        }
      }
    }
    if (best == null) {
      throw failure;
    }
    Object[] withFailure = Arrays.copyOf(args, args.length + 1);
    withFailure[args.length] = failure;
    try {
      return best.invoke(target, withFailure);
    } catch (InvocationTargetException e) {
      throw e.getTargetException();
    }
  }

  private static int distance(Class<?> from, Class<?> to) {
    int d = 0;
    for (Class<?> c = from; c != null && c != to; c = c.getSuperclass()) {
      d++;
    }
    return d;
  }

  private static String describe(Class<?>[] params) {
    StringBuilder out = new StringBuilder("(");
    for (int i = 0; i < params.length; i++) {
      out.append(i == 0 ? "" : ", ").append(params[i].getSimpleName());
    }
    return out.append(")").toString();
  }
}
