package dev.stability.spring.guard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring bean's method through the runtime's guard of this name (R14): the call is the
 * guard's call, so its deadline, breaker, bulkhead, rate limit, retry and shedding apply and its
 * metrics and events are published. The guard must be defined (under {@code stability.guards.*} or
 * by a {@code StabilityRuntimeCustomizer}); a name that no guard has fails startup.
 *
 * <p>With a {@link #fallbackMethod()}, a failed or refused call (breaker open, bulkhead full, ...)
 * answers with the fallback instead, as Resilience4j's annotations do: a method of the same bean
 * with the same parameters plus a last one of a {@link Throwable} type, returning the same type;
 * among several, the one whose exception type is closest to the failure is taken, and a failure
 * that none accepts reaches the caller. A method returning {@code CompletionStage} or {@code
 * CompletableFuture} runs through the guard's asynchronous path (its time limit applies), and its
 * fallback, returning the same type, answers a failed stage. So does one returning Reactor's {@code
 * Mono}, once per subscription: the method runs when the guard admits the subscription. A method
 * returning {@code Flux} fails startup (not supported). Only calls through the bean's proxy are
 * guarded, so calls from inside the same bean are not.
 *
 * <pre>{@code
 * @Guarded(value = "exchange-link", fallbackMethod = "rejectLocally")
 * public Ack send(Order order) { return link.send(order); }
 *
 * private Ack rejectLocally(Order order, Throwable failure) { return Ack.rejected(order, failure); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Guarded {

  /** The name of the guard, e.g. {@code exchange-link}. */
  String value();

  /** The name of the fallback method in the same bean; empty for none. */
  String fallbackMethod() default "";
}
