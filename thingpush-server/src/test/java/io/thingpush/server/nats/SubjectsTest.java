package io.thingpush.server.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.cluster.Interests;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Event;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Event subjects: history patterns, the keys a subject names, and names that cannot forge wildcards or tokens. */
class SubjectsTest {
  private final Subjects subjects = new Subjects("tp");

  @Test
  void namesBecomeSafeTokens() {
    assertThat(Subjects.token("prod-A1")).isEqualTo("prod-A1");
    assertThat(Subjects.token("a.b")).isEqualTo("a_2Eb");
    assertThat(Subjects.token("*")).isEqualTo("_2A");
    assertThat(Subjects.token(">")).isEqualTo("_3E");
    assertThat(Subjects.token("a_2Eb")).as("the escape itself is escaped").isEqualTo("a_5F2Eb");
    assertThat(Subjects.token("温度 x")).isEqualTo("_E6_B8_A9_E5_BA_A6_20x");
  }

  @Test
  void devicesAndProjectsListenOnTheirOwnPatterns() {
    Directory empty = Directory.empty();
    assertThat(subjects.history(new SubKey(SubCode.DEVICE_CONN, Target.device("k.0", "d1")), empty))
        .isEqualTo("tp.log.deviceConn.*.k_2E0.d1.>");
    assertThat(
            subjects.history(
                new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.property("k0", "d1", "temp")),
                empty))
        .as("a property reads its device's")
        .isEqualTo("tp.log.devicePropertyReport.*.k0.d1.>");
    assertThat(subjects.history(new SubKey(SubCode.DEVICE_CONN, Target.project("p1")), empty))
        .isEqualTo("tp.log.deviceConn.p1.>");
  }

  @Test
  void anEventsSubjectSaysItsBusKeys() {
    Event event =
        new Event(
            0,
            SubCode.DEVICE_PROPERTY_REPORT,
            "t",
            "prod.A",
            "温度 d_1",
            "p*1",
            List.of("a11", "a1"),
            Json.object().put("identifier", "temp").put("param", 1),
            0);
    Set<SubKey> expected = new LinkedHashSet<>();
    event.keys().forEach(k -> expected.add(Interests.busKey(k)));
    assertThat(subjects.busKeys(subjects.append(event)))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(subjects.busKeys("tp.registry.changed")).isNull();
    assertThat(Subjects.untoken(Subjects.token("a_2Eb 温度"))).isEqualTo("a_2Eb 温度");
  }
}
