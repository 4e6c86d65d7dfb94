package dev.stability.spring.autoconfigure.internal;

import dev.stability.core.guard.Guard;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Mono;

/**
 * A {@code @Guarded} method returning Reactor's {@code Mono}: each subscription is one call through
 * the guard's asynchronous path (its time limit applies; a deadline cancels the subscription), the
 * method itself runs only when the guard admits the call, and the fallback, returning a {@code
 * Mono}, answers a failed or refused call. Loaded only for a method returning {@code Mono}, so
 * reactor-core stays optional.
 */
final class GuardedMono {

  private GuardedMono() {}

  static Mono<Object> guard(
      Guard guard, FallbackMethods fallbacks, MethodInvocation invocation, Object target) {
    Object[] args = invocation.getArguments();
    return Mono.defer(() -> Mono.fromCompletionStage(guard.callAsync(() -> start(invocation))))
        .onErrorResume(failure -> answer(fallbacks, target, args, failure));
  }

  @SuppressWarnings("unchecked") // the interceptor checked the method's return type
  private static CompletionStage<Object> start(MethodInvocation invocation) {
    try {
      // A clone per subscription, so that a second subscription runs the whole chain again.
      Object mono =
          invocation instanceof ProxyMethodInvocation proxied
              ? proxied.invocableClone().proceed()
              : invocation.proceed();
      return mono != null
          ? ((Mono<Object>) mono).toFuture()
          : CompletableFuture.failedFuture(
              new NullPointerException(invocation.getMethod() + " returned no Mono"));
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }

  @SuppressWarnings("unchecked") // the fallback returns the guarded method's type, a Mono
  private static Mono<Object> answer(
      FallbackMethods fallbacks, Object target, Object[] args, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    try {
      Object answer = fallbacks.answer(target, args, cause);
      return answer == null ? Mono.empty() : (Mono<Object>) answer;
    } catch (Throwable t) {
      return Mono.error(t);
    }
  }
}
