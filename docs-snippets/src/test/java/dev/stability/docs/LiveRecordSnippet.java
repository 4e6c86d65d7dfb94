package dev.stability.docs;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;

class LiveRecordSnippet {

  /** The application's reused cursor over its funds arrays. */
  static final class FundsCursor {
    final long[] frozen;
    int account;

    FundsCursor(long[] frozen) {
      this.frozen = frozen;
    }

    FundsCursor at(int account) {
      this.account = account;
      return this;
    }
  }

  // tag::live-record[]
  static final RecordEncoder<FundsCursor> FUNDS =
      new RecordEncoder<>() {
        public String type() {
          return "funds";
        }

        public void encodeKey(FundsCursor c, CanonicalWriter out) {
          out.putLong("account", c.account);
        }

        public void encodeValue(FundsCursor c, CanonicalWriter out) {
          out.putDecimal("frozen", c.frozen[c.account], 2); // read from the live state
        }
      };

  // end::live-record[]

  void snippet(StateDigest digest, long[] frozen, FundsCursor cursor, int account, long required) {
    // tag::live-record[]
    digest.remove(FUNDS, cursor.at(account)); // the record as it is now
    frozen[account] += required; // the change
    digest.add(FUNDS, cursor.at(account)); // the record as it is after
    // end::live-record[]
  }
}
