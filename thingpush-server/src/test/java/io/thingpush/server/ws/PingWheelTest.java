package io.thingpush.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ring one timer per event loop sweeps, a slot per turn, to ping each connection once per period. */
class PingWheelTest {
  private static final int SLOTS = 4;
  private final PingWheel<String> wheel = new PingWheel<>(SLOTS);
  private final List<String> ticked = new ArrayList<>();

  /** One turn of the timer, ticking members that stay. */
  private List<String> turn() {
    return turn(Set.of());
  }

  /** One turn, in which the members in {@code leaving} answer their tick with false. */
  private List<String> turn(Set<String> leaving) {
    ticked.clear();
    wheel.sweep(
        member -> {
          ticked.add(member);
          return !leaving.contains(member);
        });
    return List.copyOf(ticked);
  }

  @Test
  void aMemberIsFirstTickedAFullTurnOfTheRingAfterItJoinedThenOncePerTurn() {
    wheel.join("a");

    for (int i = 1; i < SLOTS; i++) {
      assertThat(turn()).as("turn %d", i).isEmpty();
    }
    assertThat(turn()).containsExactly("a");
    for (int round = 0; round < 3; round++) {
      for (int i = 1; i < SLOTS; i++) {
        assertThat(turn()).isEmpty();
      }
      assertThat(turn()).containsExactly("a");
    }
  }

  @Test
  void membersJoiningBetweenTurnsKeepTheirOwnPhase() {
    wheel.join("a");
    turn();
    wheel.join("b");
    turn();
    wheel.join("c");

    List<List<String>> turns = new ArrayList<>();
    for (int i = 0; i < 2 * SLOTS; i++) {
      turns.add(turn());
    }

    assertThat(turns)
        .containsExactly(
            List.of(),
            List.of("a"),
            List.of("b"),
            List.of("c"),
            List.of(),
            List.of("a"),
            List.of("b"),
            List.of("c"));
  }

  @Test
  void aMemberThatLeftIsTickedNoMoreAndTheOthersOfItsSlotStill() {
    int slot = wheel.join("a");
    wheel.join("b");
    wheel.join("c");

    wheel.leave("b", slot);

    assertThat(wheel.size()).isEqualTo(2);
    for (int i = 1; i < SLOTS; i++) {
      turn();
    }
    assertThat(turn()).containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void aMemberAnsweringFalseLeavesAndTheRestOfItsSlotIsTickedOnce() {
    for (String member : List.of("a", "b", "c", "d")) {
      wheel.join(member);
    }
    for (int i = 1; i < SLOTS; i++) {
      turn();
    }

    assertThat(turn(Set.of("a", "c"))).containsExactlyInAnyOrder("a", "b", "c", "d");

    assertThat(wheel.size()).isEqualTo(2);
    for (int i = 1; i < SLOTS; i++) {
      assertThat(turn()).isEmpty();
    }
    assertThat(turn()).containsExactlyInAnyOrder("b", "d");
  }

  @Test
  void leavingTwiceOrAfterATickDroppedItChangesNothing() {
    int slot = wheel.join("a");
    wheel.join("b");
    for (int i = 1; i < SLOTS; i++) {
      turn();
    }
    turn(Set.of("a"));

    wheel.leave("a", slot);
    wheel.leave("a", slot);

    assertThat(wheel.size()).isEqualTo(1);
  }
}
