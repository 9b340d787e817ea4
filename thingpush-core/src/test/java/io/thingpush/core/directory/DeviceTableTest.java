package io.thingpush.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTableTest {
  private static Device device(String product, String name, String project) {
    return new Device(product, name, "secret", "default", project, null);
  }

  @Test
  void findsEachDeviceByProductAndName() {
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      devices.add(device("p" + (i % 3), "d" + i, "proj" + (i % 7)));
    }
    DeviceTable table = DeviceTable.of(devices);

    assertThat(table.size()).isEqualTo(1000);
    for (Device d : devices) {
      assertThat(table.get(d.productId(), d.deviceName())).isSameAs(d);
    }
    assertThat(table.get("p0", "d1")).as("d1 is of p1").isNull();
    assertThat(table.get("p9", "d0")).isNull();
    assertThat(table.all()).hasSize(1000).containsExactlyInAnyOrderElementsOf(devices);
    assertThat(table.ofProject("proj3")).hasSize(143).allMatch(d -> d.projectId().equals("proj3"));
    assertThat(table.ofProject("nowhere")).isEmpty();
  }

  @Test
  void aDuplicateIsRefused() {
    assertThatThrownBy(() -> DeviceTable.of(List.of(device("p", "d", "x"), device("p", "d", "y"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate device p/d");
  }

  @Test
  void withAddsOrReplacesAndLeavesTheOriginalAlone() {
    Device a = device("p", "a", "x");
    Device b = device("p", "b", "x");
    DeviceTable table = DeviceTable.of(List.of(a, b));
    Device movedB = device("p", "b", "y");
    Device c = device("q", "c", "y");

    DeviceTable next = table.with(movedB).with(c);

    assertThat(next.size()).isEqualTo(3);
    assertThat(next.get("p", "b")).isSameAs(movedB);
    assertThat(next.ofProject("x")).containsExactly(a);
    assertThat(next.ofProject("y")).containsExactlyInAnyOrder(movedB, c);
    assertThat(table.get("p", "b")).isSameAs(b);
    assertThat(table.ofProject("x")).containsExactlyInAnyOrder(a, b);
    assertThat(table.size()).isEqualTo(2);
  }

  @Test
  void withoutRemovesTheLastOfAProductAndOfAProject() {
    Device a = device("p", "a", "x");
    Device b = device("q", "b", "y");
    DeviceTable table = DeviceTable.of(List.of(a, b));

    DeviceTable next = table.without("q", "b");

    assertThat(next.size()).isEqualTo(1);
    assertThat(next.get("q", "b")).isNull();
    assertThat(next.ofProject("y")).isEmpty();
    assertThat(next.all()).containsExactly(a);
    assertThat(next.without("q", "b")).isSameAs(next);
    assertThat(DeviceTable.empty().with(a).without("p", "a").all()).isEmpty();
  }
}
