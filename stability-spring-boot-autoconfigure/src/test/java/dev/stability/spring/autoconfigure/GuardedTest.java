package dev.stability.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.ConfigurationException;
import dev.stability.api.guard.CircuitOpenException;
import dev.stability.core.StabilityRuntime;
import dev.stability.spring.guard.Guarded;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code @Guarded} methods run through their guard; fallbacks and names are checked at startup. */
class GuardedTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(StabilityAutoConfiguration.class))
          .withPropertyValues(StabilityPropertiesTest.IDENTITY)
          .withPropertyValues(
              "stability.guards.exchange-link.circuit-breaker.sliding-window-size=4",
              "stability.guards.exchange-link.circuit-breaker.minimum-number-of-calls=4",
              "stability.guards.exchange-link.circuit-breaker.failure-rate-threshold=50",
              "stability.guards.exchange-link.circuit-breaker.wait-duration-in-open-state=1m");

  /** A client of the exchange whose link can be made to fail. */
  static class ExchangeClient {
    private final AtomicInteger sent = new AtomicInteger();
    private volatile boolean linkDown;

    // Methods, not fields: the bean is a class proxy whose own fields are unused.
    public void linkDown(boolean down) {
      linkDown = down;
    }

    public int sent() {
      return sent.get();
    }

    @Guarded(value = "exchange-link", fallbackMethod = "rejectLocally")
    public String send(String order) throws IOException {
      sent.incrementAndGet();
      if (linkDown) {
        throw new IOException("link down");
      }
      return "ack " + order;
    }

    @Guarded(value = "exchange-link", fallbackMethod = "rejectLater")
    public CompletableFuture<String> sendAsync(String order) {
      sent.incrementAndGet();
      return linkDown
          ? CompletableFuture.failedFuture(new IOException("link down"))
          : CompletableFuture.completedFuture("ack " + order);
    }

    @Guarded(value = "exchange-link", fallbackMethod = "rejectMono")
    public Mono<String> sendMono(String order) {
      sent.incrementAndGet(); // when the guard admits a subscription, not when assembled
      return linkDown
          ? Mono.error(new IOException("link down"))
          : Mono.fromSupplier(() -> "ack " + order);
    }

    Mono<String> rejectMono(String order, Throwable failure) {
      return Mono.just("rejected " + order + ": " + failure.getMessage());
    }

    CompletableFuture<String> rejectLater(String order, Throwable failure) {
      return CompletableFuture.completedFuture("rejected " + order + ": " + failure.getMessage());
    }

    @Guarded("exchange-link")
    public String sendWithoutFallback(String order) throws IOException {
      return send(order); // a self-call: not guarded a second time
    }

    String rejectLocally(String order, CircuitOpenException open) {
      return "rejected " + order + ": breaker open";
    }

    String rejectLocally(String order, Throwable failure) {
      return "rejected " + order + ": " + failure.getMessage();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Client {
    @Bean
    ExchangeClient exchangeClient() {
      return new ExchangeClient();
    }
  }

  @Test
  void guardedMethodRunsThroughItsGuardAndTheClosestFallbackAnswers() {
    runner
        .withUserConfiguration(Client.class)
        .run(
            context -> {
              ExchangeClient client = context.getBean(ExchangeClient.class);
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              assertThat(AopUtils.isAopProxy(client)).isTrue();
              assertThat(client.send("O-1")).isEqualTo("ack O-1");

              client.linkDown(true);
              // window of 4 with the success above: the third failure makes 75% and opens it
              for (int i = 0; i < 3; i++) {
                assertThat(client.send("O-" + i)).isEqualTo("rejected O-" + i + ": link down");
              }
              assertThat(runtime.guards().guard("exchange-link").circuitState().name())
                  .isEqualTo("OPEN");
              int sentBefore = client.sent();
              assertThat(client.send("O-9")).isEqualTo("rejected O-9: breaker open");
              assertThat(client.sent()).isEqualTo(sentBefore); // the breaker kept it out
            });
  }

  @Test
  void asynchronousGuardedMethodCountsItsFailedStagesAndTheFallbackAnswersThem() {
    runner
        .withUserConfiguration(Client.class)
        .run(
            context -> {
              ExchangeClient client = context.getBean(ExchangeClient.class);
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              assertThat(client.sendAsync("O-1").get(5, TimeUnit.SECONDS)).isEqualTo("ack O-1");
              client.linkDown(true);
              for (int i = 2; i <= 4; i++) {
                assertThat(client.sendAsync("O-" + i).get(5, TimeUnit.SECONDS))
                    .isEqualTo("rejected O-" + i + ": link down");
              }
              assertThat(runtime.guards().guard("exchange-link").circuitState().name())
                  .isEqualTo("OPEN");
              int sentBefore = client.sent();
              assertThat(client.sendAsync("O-5").get(5, TimeUnit.SECONDS))
                  .startsWith("rejected O-5: ");
              assertThat(client.sent()).isEqualTo(sentBefore); // refused before the call
            });
  }

  @Test
  void monoGuardedMethodRunsOncePerSubscriptionAndTheFallbackAnswersFailures() {
    runner
        .withUserConfiguration(Client.class)
        .run(
            context -> {
              ExchangeClient client = context.getBean(ExchangeClient.class);
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              Mono<String> first = client.sendMono("O-1");
              assertThat(client.sent()).isZero(); // nothing runs before a subscription
              assertThat(first.block(Duration.ofSeconds(5))).isEqualTo("ack O-1");
              assertThat(first.block(Duration.ofSeconds(5))).isEqualTo("ack O-1");
              assertThat(client.sent()).isEqualTo(2);
              client.linkDown(true);
              // window of 4 with the two successes: the second failure makes 50% and opens it
              for (int i = 2; i <= 3; i++) {
                assertThat(client.sendMono("O-" + i).block(Duration.ofSeconds(5)))
                    .isEqualTo("rejected O-" + i + ": link down");
              }
              assertThat(runtime.guards().guard("exchange-link").circuitState().name())
                  .isEqualTo("OPEN");
              int sentBefore = client.sent();
              assertThat(client.sendMono("O-5").block(Duration.ofSeconds(5)))
                  .startsWith("rejected O-5: ");
              assertThat(client.sent()).isEqualTo(sentBefore); // refused before the call
            });
  }

  @Test
  void failureWithoutAFallbackReachesTheCaller() {
    runner
        .withUserConfiguration(Client.class)
        .run(
            context -> {
              ExchangeClient client = context.getBean(ExchangeClient.class);
              client.linkDown(true);
              try {
                client.sendWithoutFallback("O-1");
                throw new AssertionError("expected the IOException");
              } catch (IOException e) {
                assertThat(e).hasMessage("link down");
              }
            });
  }

  static class UnknownGuardClient {
    @Guarded("exchange-lnk")
    public String send(String order) {
      return order;
    }
  }

  @Test
  void guardThatIsNotDefinedFailsStartup() {
    runner
        .withBean(UnknownGuardClient.class)
        .run(
            context -> {
              ConfigurationException e = StabilityPropertiesTest.configurationFailure(context);
              assertThat(e.key()).isEqualTo("stability.guards.exchange-lnk");
              assertThat(e.rule())
                  .isEqualTo(
                      "must be defined: @Guarded on UnknownGuardClient.send uses it (defined"
                          + " guards: [exchange-link])");
            });
  }

  static class WrongFallbackClient {
    @Guarded(value = "exchange-link", fallbackMethod = "reject")
    public String send(String order) {
      return order;
    }

    String reject(String order) { // no Throwable parameter
      return order;
    }
  }

  @Test
  void fallbackWithTheWrongSignatureFailsStartup() {
    runner
        .withBean(WrongFallbackClient.class)
        .run(
            context -> {
              ConfigurationException e = StabilityPropertiesTest.configurationFailure(context);
              assertThat(e.key()).isEqualTo("@Guarded.fallbackMethod");
              assertThat(e.value()).isEqualTo("reject");
              assertThat(e.rule()).contains("taking (String) and a last Throwable parameter");
            });
  }

  static class FluxClient {
    @Guarded("exchange-link")
    public Flux<String> fills(String order) {
      return Flux.just(order);
    }
  }

  @Test
  void fluxMethodFailsStartupInsteadOfBeingGuardedOnlyWhileAssembled() {
    runner
        .withBean(FluxClient.class)
        .run(
            context -> {
              ConfigurationException e = StabilityPropertiesTest.configurationFailure(context);
              assertThat(e.key()).isEqualTo("@Guarded");
              assertThat(e.value()).isEqualTo("FluxClient.fills");
              assertThat(e.rule()).startsWith("a method returning Flux cannot be guarded");
            });
  }

  @Test
  void retryOnANonIdempotentGuardOfAGuardedMethodStillFailsStartup() {
    runner
        .withUserConfiguration(Client.class)
        .withPropertyValues("stability.guards.exchange-link.retry.max-attempts=2")
        .run(
            context ->
                assertThat(StabilityPropertiesTest.configurationFailure(context).key())
                    .isEqualTo("stability.guards.exchange-link.retry"));
  }
}
