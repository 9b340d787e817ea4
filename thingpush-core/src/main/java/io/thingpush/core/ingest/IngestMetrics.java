package io.thingpush.core.ingest;

import io.thingpush.protocol.SubCode;

/** What ingest reports to the server's metrics. */
public interface IngestMetrics {
  IngestMetrics NONE = (source, code) -> {};

  /** One event of {@code code} accepted from {@code source} (http, mqtt, nats, demo). */
  void ingested(String source, SubCode code);
}
