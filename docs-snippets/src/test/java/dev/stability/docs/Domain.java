package dev.stability.docs;

import dev.stability.api.consistency.RecordSource;
import dev.stability.api.standby.StateMachine;
import dev.stability.core.capacity.CapacityIndicator;
import java.time.Instant;

/** The application's own types that the documentation's snippets call, as small stand-ins. */
final class Domain {
  private Domain() {}

  interface Gateway {
    boolean loggedIn();

    void submit(Object order);

    void stopAccepting();

    void stop();

    void start(long epoch);
  }

  interface PtpClock {
    Instant now();
  }

  interface DataCentres {
    String moveTo(String target);

    void awaitShutdown();
  }

  interface Book extends StateMachine {
    default dev.stability.api.consistency.DigestValue digestValue() {
      return digest().value();
    }
  }

  interface Core extends StateMachine, RecordSource {}

  interface TradingSystem {
    void submit(Object order);

    CapacityIndicator orders();
  }

  interface Clearing {
    void send(Object batch);

    void refuse(boolean value);
  }

  interface Faulty {
    void breakIt();

    void fix();

    void hang();

    void release();
  }

  interface Venue {
    Ack send(Order order);
  }
}
