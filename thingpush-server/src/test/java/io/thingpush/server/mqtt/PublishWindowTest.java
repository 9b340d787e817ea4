package io.thingpush.server.mqtt;

import static io.thingpush.server.mqtt.PublishWindow.Admission.REFUSE;
import static io.thingpush.server.mqtt.PublishWindow.Admission.SEND;
import static io.thingpush.server.mqtt.PublishWindow.Admission.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bridge's window of messages to the broker: room in flight, a bounded line behind it, order kept. */
class PublishWindowTest {
  private final PublishWindow<String> window = opened(new PublishWindow<>(2, 3));

  private static PublishWindow<String> opened(PublishWindow<String> w) {
    w.open(true);
    return w;
  }

  @Test
  void messagesGoOutWhileThereIsRoomThenWaitThenAreRefused() {
    assertThat(window.offer("a")).isEqualTo(SEND);
    assertThat(window.offer("b")).isEqualTo(SEND);
    assertThat(window.offer("c")).isEqualTo(WAIT);
    assertThat(window.offer("d")).isEqualTo(WAIT);
    assertThat(window.offer("e")).isEqualTo(WAIT);
    assertThat(window.offer("f")).isEqualTo(REFUSE);
    assertThat(window.waiting()).isEqualTo(3);
  }

  @Test
  void eachLandingLetsTheOldestWaitingOneGo() {
    for (String m : new String[] {"a", "b", "c", "d"}) {
      window.offer(m);
    }
    assertThat(window.next()).as("no room yet").isNull();

    window.landed();
    assertThat(window.next()).isEqualTo("c");
    assertThat(window.next()).as("c took the room").isNull();
    window.landed();
    assertThat(window.next()).isEqualTo("d");
  }

  @Test
  void aNewMessageQueuesBehindWaitingOnesEvenWhenRoomFrees() {
    window.offer("a");
    window.offer("b");
    window.offer("c");
    window.landed();

    assertThat(window.offer("d")).as("c is first in line").isEqualTo(WAIT);
    assertThat(window.next()).isEqualTo("c");
  }

  @Test
  void whileClosedEverythingWaitsAndGoesOutInOrderOnceOpen() {
    PublishWindow<String> closed = new PublishWindow<>(5, 5);
    assertThat(closed.offer("a")).isEqualTo(WAIT);
    assertThat(closed.offer("b")).isEqualTo(WAIT);
    assertThat(closed.next()).isNull();

    closed.open(true);
    assertThat(closed.next()).isEqualTo("a");
    assertThat(closed.next()).isEqualTo("b");
    assertThat(closed.next()).isNull();
  }

  @Test
  void noWaitingRoomRefusesWhatCannotGoOutAtOnce() {
    PublishWindow<String> tight = opened(new PublishWindow<>(1, 0));
    assertThat(tight.offer("a")).isEqualTo(SEND);
    assertThat(tight.offer("b")).isEqualTo(REFUSE);
  }

  @Test
  void aLandingWithNothingInFlightIsABug() {
    assertThatThrownBy(window::landed).isInstanceOf(IllegalStateException.class);
  }
}
