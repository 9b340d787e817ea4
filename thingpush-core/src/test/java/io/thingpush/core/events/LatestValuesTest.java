package io.thingpush.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.directory.Device;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Payloads;
import io.thingpush.protocol.SubCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded store of what snapshots send: property values and each device's states. */
class LatestValuesTest {
  private static final Device D1 = new Device("k0", "d1", "s", "default", "p1", null);
  private static final Device D2 = new Device("k0", "d2", "s", "default", "p1", null);

  private final LatestValues latest = new LatestValues();

  private static Event event(long seq, SubCode code, String device, String payload) {
    return new Event(
        seq,
        code,
        "default",
        "k0",
        device,
        "p1",
        List.of(),
        Payloads.body(
            code,
            "k0",
            device,
            Json.parseOrNull(payload),
            1000 + seq,
            () -> "0af7651916cd43dd8448eb211c80319c"),
        0);
  }

  private LatestStore.Values read(SubCode code, Device... devices) {
    return latest.read(code, List.of(devices), Long.MAX_VALUE).toCompletableFuture().join();
  }

  @Test
  void eachStateCodeKeepsTheNewestStateOfEachDeviceWithItsSeqAndTimestamp() {
    latest.record(event(1, SubCode.DEVICE_CONN, "d1", "{\"status\":1}"));
    latest.record(
        event(2, SubCode.DEVICE_OTA_REPORT, "d1", "{\"status\":4,\"step\":30,\"detail\":\"x\"}"));
    latest.record(event(3, SubCode.DEVICE_CONN, "d1", "{\"status\":2}"));
    latest.record(
        event(4, SubCode.DEVICE_PROPERTY_REPORT, "d2", "{\"identifier\":\"temp\",\"param\":1}"));

    LatestStore.Values conn = read(SubCode.DEVICE_CONN, D1, D2);
    LatestStore.Value d1 = conn.byDevice().get(D1).get("deviceConn");
    assertThat(conn.upTo()).isEqualTo(4);
    assertThat(d1.seq()).isEqualTo(3);
    assertThat(d1.timestamp()).isEqualTo("1003");
    assertThat(d1.param().toString()).isEqualTo("{\"status\":2}");
    assertThat(conn.byDevice()).as("d2 has values but no connection state").doesNotContainKey(D2);

    LatestStore.Value upgrade =
        read(SubCode.DEVICE_OTA_REPORT, D1).byDevice().get(D1).get("deviceOtaReport");
    assertThat(upgrade.seq()).isEqualTo(2);
    assertThat(upgrade.param().path("step").asInt()).isEqualTo(30);
    assertThat(read(SubCode.DEVICE_PROPERTY_REPORT, D1).byDevice())
        .as("states are not property values")
        .isEmpty();
  }
}
