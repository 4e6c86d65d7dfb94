package dev.stability.examples.spring;

import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders}: 200 with ACCEPTED, 202 with HELD (kept for resend), 422 with REJECTED. */
@RestController
public class OrderController {

  private final PreTradeRiskCheck riskCheck;

  public OrderController(PreTradeRiskCheck riskCheck) {
    this.riskCheck = riskCheck;
  }

  @PostMapping("/orders")
  public ResponseEntity<OrderResult> submit(@RequestBody Order order) throws IOException {
    OrderResult result = riskCheck.submit(order);
    HttpStatus status =
        switch (result.status()) {
          case ACCEPTED -> HttpStatus.OK;
          case HELD -> HttpStatus.ACCEPTED;
          case REJECTED -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
    return ResponseEntity.status(status).body(result);
  }
}
