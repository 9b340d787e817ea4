package io.thingpush.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PositionsTest {
  private final Positions positions = new Positions();

  @Test
  void aSubscriptionWithoutPushesResumesFromItsReplysSeq() {
    positions.answered("a", 40L);

    assertThat(positions.of("a")).isEqualTo(40);
  }

  @Test
  void livePushesRaiseEverySubscriptionTheConnectionHolds() {
    positions.answered("a", 40L);
    positions.answered("b", 41L);

    positions.pushed(45);

    assertThat(positions.of("a")).isEqualTo(45);
    assertThat(positions.of("b")).isEqualTo(45);
  }

  @Test
  void aPushAtOrBelowTheConnectionsLargestReplySeqRaisesNothing() {
    positions.answered("a", 40L);
    positions.answered("b", 50L); // its replay or snapshot may carry 41..50 before a's 42 arrives

    positions.pushed(48);
    positions.pushed(50);
    assertThat(positions.of("a")).isEqualTo(40);

    positions.pushed(51);
    assertThat(positions.of("a")).isEqualTo(51);
  }

  @Test
  void aSubscriptionNotYetAnsweredOnANewConnectionKeepsItsPosition() {
    positions.answered("a", 40L);
    positions.pushed(45);
    positions.newConnection();
    positions.answered("b", 60L);

    positions.pushed(70);

    assertThat(positions.of("a")).as("its resubscribe is still on its way").isEqualTo(45);
    assertThat(positions.of("b")).isEqualTo(70);
    positions.answered("a", 65L);
    assertThat(positions.of("a")).isEqualTo(65);
  }

  @Test
  void theAppsSinceIsThePositionUntilTheServerAnswersAndAPositionNeverGoesBack() {
    positions.subscribe("a", 30L);
    assertThat(positions.of("a")).isEqualTo(30);
    positions.subscribe("a", 20L);
    assertThat(positions.of("a")).isEqualTo(30);
    positions.subscribe("b", null);
    assertThat(positions.of("b")).isNull();
  }

  @Test
  void withoutASeqInTheReplyOnlyPushesGiveAPosition() {
    positions.answered("a", null);
    assertThat(positions.of("a")).isNull();

    positions.pushed(7);
    assertThat(positions.of("a")).isEqualTo(7);
  }

  @Test
  void aRemovedSubscriptionIsForgotten() {
    positions.answered("a", 40L);
    positions.remove("a");
    positions.pushed(50);

    assertThat(positions.of("a")).isNull();
  }
}
