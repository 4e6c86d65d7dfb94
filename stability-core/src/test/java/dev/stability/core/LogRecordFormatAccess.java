package dev.stability.core;

import dev.stability.api.event.LogRecord;
import dev.stability.core.event.LogRecordFormat;

final class LogRecordFormatAccess {
  private LogRecordFormatAccess() {}

  static String ts(LogRecord record) {
    return LogRecordFormat.formatTimestamp(record.timestamp());
  }
}
