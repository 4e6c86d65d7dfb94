package dev.stability.examples.spring;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Switches the simulated venue's outage on and off, to watch the guard, the fallback and the probes
 * from outside: {@code POST /simulator/venue-outage} and {@code DELETE /simulator/venue-outage}. A
 * real service has no such endpoint.
 */
@RestController
public class SimulatorController {

  private final ExchangeLink link;

  public SimulatorController(ExchangeLink link) {
    this.link = link;
  }

  @PostMapping("/simulator/venue-outage")
  public ResponseEntity<Void> start(
      @RequestParam(name = "reason", defaultValue = "venue unreachable") String reason) {
    link.simulateOutage(reason);
    return ResponseEntity.noContent().build();
  }

  @DeleteMapping("/simulator/venue-outage")
  public ResponseEntity<Void> end() {
    link.simulateOutage(null);
    return ResponseEntity.noContent().build();
  }
}
