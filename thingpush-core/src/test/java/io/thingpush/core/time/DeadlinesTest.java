package io.thingpush.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Members due at a time each, soonest first, any of which may leave early. */
class DeadlinesTest {
  private final Deadlines<String> deadlines = new Deadlines<>();

  /** Takes every member out, soonest first. */
  private List<String> drain() {
    List<String> order = new ArrayList<>();
    for (Deadlines.Entry<String> e = deadlines.soonest(); e != null; e = deadlines.soonest()) {
      order.add(e.member());
      deadlines.remove(e);
    }
    return order;
  }

  @Test
  void emptyHasNoSoonest() {
    assertThat(deadlines.soonest()).isNull();
    assertThat(deadlines.size()).isZero();
  }

  @Test
  void theSoonestComesFirstWhateverOrderTheyJoinedIn() {
    deadlines.add("c", 30);
    deadlines.add("a", 10);
    deadlines.add("d", 40);
    deadlines.add("b", 20);

    assertThat(deadlines.soonest().member()).isEqualTo("a");
    assertThat(deadlines.soonest().at()).isEqualTo(10);
    assertThat(drain()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aMemberThatLeavesIsNeverDueAndLeavingTwiceChangesNothing() {
    deadlines.add("a", 10);
    Deadlines.Entry<String> b = deadlines.add("b", 20);
    deadlines.add("c", 30);

    deadlines.remove(b);
    deadlines.remove(b);

    assertThat(deadlines.size()).isEqualTo(2);
    assertThat(drain()).containsExactly("a", "c");
  }

  @Test
  void theSoonestMayLeaveAndTheNextTakesItsPlace() {
    Deadlines.Entry<String> a = deadlines.add("a", 10);
    deadlines.add("b", 20);

    deadlines.remove(a);

    assertThat(deadlines.soonest().member()).isEqualTo("b");
  }

  @Test
  void membersDueAtTheSameTimeAreAllKept() {
    deadlines.add("a", 10);
    deadlines.add("b", 10);
    deadlines.add("c", 5);

    assertThat(drain()).hasSize(3).startsWith("c").contains("a", "b");
  }

  /** Many joins and early leaves, mixed, against a sorted list of the members still held. */
  @Test
  void keepsSoonestFirstThroughManyJoinsAndLeaves() {
    Random random = new Random(42);
    List<Deadlines.Entry<String>> held = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      if (held.isEmpty() || random.nextInt(3) > 0) {
        held.add(deadlines.add("m" + i, random.nextInt(1_000)));
      } else {
        deadlines.remove(held.remove(random.nextInt(held.size())));
      }
      assertThat(deadlines.size()).isEqualTo(held.size());
      Deadlines.Entry<String> soonest = deadlines.soonest();
      assertThat(soonest == null ? null : soonest.at())
          .isEqualTo(held.stream().map(Deadlines.Entry::at).min(Long::compare).orElse(null));
    }
    held.sort(Comparator.comparingLong(Deadlines.Entry::at));
    List<Long> expected = held.stream().map(Deadlines.Entry::at).toList();
    List<Long> drained = new ArrayList<>();
    for (Deadlines.Entry<String> e = deadlines.soonest(); e != null; e = deadlines.soonest()) {
      drained.add(e.at());
      deadlines.remove(e);
    }
    assertThat(drained).isEqualTo(expected);
  }
}
