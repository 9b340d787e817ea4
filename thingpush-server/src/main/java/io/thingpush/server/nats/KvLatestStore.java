package io.thingpush.server.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.thingpush.core.directory.Device;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.LatestStore;
import io.thingpush.protocol.SubCode;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot values shared by the nodes: a key-value bucket with one entry per device for its
 * properties and one per device and state code (its connection, its upgrade), kept by a
 * durable consumer of the event stream that every node helps to drain (each event is recorded
 * once, by whichever node fetched it; entries are compare-and-set, so the newest seq of each
 * property and state wins). The consumer's ack floor says up to which seq the bucket is complete; a read
 * adds the few events between that floor and the caller's live seam from the stream.
 */
public final class KvLatestStore implements LatestStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KvLatestStore.class);
  private static final int BATCH = 256;

  private final NatsCluster nats;
  private final JetStreamEventLog log;
  private final KeyValue bucket;
  private final String durable;
  private final Thread recorder;
  private volatile boolean closed;

  public KvLatestStore(NatsCluster nats, JetStreamEventLog log) {
    this.nats = nats;
    this.log = log;
    this.durable = nats.name() + "_latest";
    try {
      this.bucket = nats.bucket("latest", null);
      nats.management()
          .addOrUpdateConsumer(
              nats.stream(),
              ConsumerConfiguration.builder()
                  .durable(durable)
                  .filterSubject(nats.subjects().logAll())
                  .ackPolicy(AckPolicy.Explicit)
                  .ackWait(Duration.ofSeconds(30))
                  .maxAckPending(10_000)
                  .build());
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException(
          "cannot set up the latest-value bucket: " + e.getMessage(), e);
    }
    this.recorder = new Thread(this::record, "thingpush-latest-recorder");
    recorder.setDaemon(true);
    recorder.start();
  }

  /** Nothing to do here: the recorder takes every event from the stream, once for the whole cluster. */
  @Override
  public void record(Event event) {}

  @Override
  public CompletionStage<Values> read(SubCode code, List<Device> devices, long liveAfter) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            long floor =
                nats.management()
                    .getConsumerInfo(nats.stream(), durable)
                    .getAckFloor()
                    .getStreamSequence();
            Map<String, Device> byKey = new HashMap<>();
            Map<Device, Map<String, Value>> values = new HashMap<>();
            for (Device device : devices) {
              String key = LatestValuesCodec.key(code, device.productId(), device.deviceName());
              byKey.put(key, device);
              KeyValueEntry entry = bucket.get(key);
              values.put(
                  device,
                  entry == null ? new HashMap<>() : LatestValuesCodec.decode(entry.getValue()));
            }
            for (Event event : log.readNow(nats.subjects().logAll(), floor, liveAfter)) {
              Device device =
                  byKey.get(LatestValuesCodec.key(code, event.productId(), event.deviceName()));
              if (device != null && LatestValuesCodec.sets(code, event)) {
                LatestValuesCodec.merge(values.get(device), event);
              }
            }
            return new Values(liveAfter, values);
          } catch (IOException | JetStreamApiException e) {
            throw new CompletionException("snapshot values unavailable: " + e.getMessage(), e);
          }
        },
        nats.io());
  }

  /** The recorder loop: fetch a batch, merge its values into the bucket, acknowledge. */
  private void record() {
    JetStreamSubscription subscription = null;
    while (!closed) {
      try {
        if (subscription == null) {
          subscription =
              nats.jetStream().subscribe(null, PullSubscribeOptions.bind(nats.stream(), durable));
        }
        List<Message> batch = subscription.fetch(BATCH, Duration.ofSeconds(1));
        Map<String, Map<String, Value>> merged = new HashMap<>();
        for (Message message : batch) {
          Event event =
              EventCodec.decode(message.getData(), message.metaData().streamSequence(), 0);
          if (event != null && LatestValuesCodec.isKept(event)) {
            LatestValuesCodec.merge(
                merged.computeIfAbsent(
                    LatestValuesCodec.key(event.code(), event.productId(), event.deviceName()),
                    k -> new HashMap<>()),
                event);
          }
        }
        for (Map.Entry<String, Map<String, Value>> device : merged.entrySet()) {
          store(device.getKey(), device.getValue());
        }
        batch.forEach(Message::ack);
      } catch (Exception e) {
        if (closed) {
          return;
        }
        LOG.debug("latest-value recorder paused: {}", e.toString());
        subscription = null;
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Compare-and-set of one device's entry: retried when another node wrote it meanwhile. */
  private void store(String key, Map<String, Value> newer)
      throws IOException, JetStreamApiException {
    while (true) {
      KeyValueEntry entry = bucket.get(key);
      Map<String, Value> values =
          entry == null ? new HashMap<>() : LatestValuesCodec.decode(entry.getValue());
      boolean changed = false;
      for (Map.Entry<String, Value> v : newer.entrySet()) {
        changed |= LatestValuesCodec.put(values, v.getKey(), v.getValue());
      }
      if (!changed) {
        return;
      }
      try {
        if (entry == null) {
          bucket.create(key, LatestValuesCodec.encode(values));
        } else {
          bucket.update(key, LatestValuesCodec.encode(values), entry.getRevision());
        }
        return;
      } catch (JetStreamApiException conflict) {
        if (conflict.getApiErrorCode() != 10071) {
          throw conflict;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    recorder.interrupt();
  }
}
