package ${package};

/** A stand-in for the exchange that acknowledges every order: replace it with your client. */
final class SimulatedExchange implements ExchangeClient {

  @Override
  public String send(String order) {
    return "ACK " + order;
  }

  @Override
  public boolean connected() {
    return true;
  }
}
