package io.thingpush.core.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded per-connection queue and its conflation policy (SPEC §6, STYLE 5). */
class OutboxTest {

  private static byte[] frame(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static List<String> drain(Outbox outbox) {
    List<String> out = new ArrayList<>();
    for (byte[] f = outbox.poll(); f != null; f = outbox.poll()) {
      out.add(new String(f, StandardCharsets.US_ASCII));
    }
    return out;
  }

  @Test
  void emptyOutbox() {
    Outbox outbox = new Outbox(10, 1_000);

    assertThat(outbox.isEmpty()).isTrue();
    assertThat(outbox.frames()).isZero();
    assertThat(outbox.bytes()).isZero();
    assertThat(outbox.poll()).isNull();
  }

  @Test
  void framesComeOutInTheOrderTheyWentIn() {
    Outbox outbox = new Outbox(10, 1_000);

    assertThat(outbox.offer(frame("one"), null)).isTrue();
    assertThat(outbox.offer(frame("two"), null)).isTrue();
    assertThat(outbox.offer(frame("three"), null)).isTrue();

    assertThat(outbox.frames()).isEqualTo(3);
    assertThat(outbox.bytes()).isEqualTo(11);
    assertThat(drain(outbox)).containsExactly("one", "two", "three");
    assertThat(outbox.isEmpty()).isTrue();
    assertThat(outbox.bytes()).isZero();
  }

  @Test
  void pollReturnsTheSameArrayThatWasOffered() {
    Outbox outbox = new Outbox(10, 1_000);
    byte[] f = frame("x");
    outbox.offer(f, null);

    assertThat(outbox.poll()).isSameAs(f);
  }

  @Test
  void accountingFollowsEachPoll() {
    Outbox outbox = new Outbox(10, 1_000);
    outbox.offer(frame("aaaa"), null);
    outbox.offer(frame("bb"), null);

    outbox.poll();

    assertThat(outbox.frames()).isEqualTo(1);
    assertThat(outbox.bytes()).isEqualTo(2);
  }

  @Test
  void frameLimitRefusesTheFrameThatDoesNotFitAndQueuesNothing() {
    Outbox outbox = new Outbox(2, 1_000);
    outbox.offer(frame("a"), null);
    outbox.offer(frame("b"), "k");

    assertThat(outbox.offer(frame("c"), null)).isFalse();
    assertThat(outbox.offer(frame("d"), "other")).isFalse();

    assertThat(outbox.frames()).isEqualTo(2);
    assertThat(outbox.bytes()).isEqualTo(2);
    assertThat(drain(outbox)).containsExactly("a", "b");
  }

  @Test
  void byteLimitRefusesTheFrameThatDoesNotFitAndQueuesNothing() {
    Outbox outbox = new Outbox(100, 10);
    assertThat(outbox.offer(frame("123456"), null)).isTrue();

    assertThat(outbox.offer(frame("12345"), null)).isFalse();
    assertThat(outbox.frames()).isEqualTo(1);
    assertThat(outbox.bytes()).isEqualTo(6);

    assertThat(outbox.offer(frame("1234"), null)).as("exactly at the limit fits").isTrue();
    assertThat(outbox.bytes()).isEqualTo(10);
    assertThat(outbox.offer(frame("x"), null)).isFalse();
    assertThat(drain(outbox)).containsExactly("123456", "1234");
  }

  @Test
  void aFrameLargerThanTheWholeBudgetIsRefusedEvenWhenEmpty() {
    Outbox outbox = new Outbox(100, 10);

    assertThat(outbox.offer(frame("12345678901"), null)).isFalse();
    assertThat(outbox.offer(frame("12345678901"), "k")).isFalse();

    assertThat(outbox.isEmpty()).isTrue();
    assertThat(outbox.poll()).isNull();
  }

  @Test
  void spaceFreedByAPollCanBeUsedAgain() {
    Outbox outbox = new Outbox(2, 1_000);
    outbox.offer(frame("a"), null);
    outbox.offer(frame("b"), null);
    outbox.poll();

    assertThat(outbox.offer(frame("c"), null)).isTrue();
    assertThat(drain(outbox)).containsExactly("b", "c");
  }

  // ---- conflation ---------------------------------------------------------------------------

  @Test
  void aFrameWithTheSameKeyReplacesTheOlderOneAndGoesToTheTail() {
    Outbox outbox = new Outbox(10, 1_000);
    outbox.offer(frame("temp=1"), "d1/temp");
    outbox.offer(frame("hum=40"), "d1/hum");
    outbox.offer(frame("conn"), null);

    assertThat(outbox.offer(frame("temp=22"), "d1/temp")).isTrue();

    assertThat(outbox.frames()).isEqualTo(3);
    assertThat(outbox.bytes()).isEqualTo("hum=40".length() + "conn".length() + "temp=22".length());
    assertThat(outbox.conflated()).isEqualTo(1);
    assertThat(drain(outbox)).containsExactly("hum=40", "conn", "temp=22");
  }

  @Test
  void conflationKeepsTheOrderOfTheOtherFrames() {
    Outbox outbox = new Outbox(20, 1_000);
    outbox.offer(frame("a1"), "a");
    outbox.offer(frame("x1"), null);
    outbox.offer(frame("b1"), "b");
    outbox.offer(frame("x2"), null);
    outbox.offer(frame("c1"), "c");
    outbox.offer(frame("b2"), "b");
    outbox.offer(frame("x3"), null);
    outbox.offer(frame("a2"), "a");

    assertThat(outbox.conflated()).isEqualTo(2);
    assertThat(outbox.frames()).isEqualTo(6);
    assertThat(drain(outbox)).containsExactly("x1", "x2", "c1", "b2", "x3", "a2");
  }

  @Test
  void framesWithoutKeyAreNeverDroppedOrReordered() {
    Outbox outbox = new Outbox(1_000, 100_000);
    List<String> expectedUnkeyed = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      outbox.offer(frame("k" + i), "same");
      if (i % 3 == 0) {
        outbox.offer(frame("u" + i), null);
        expectedUnkeyed.add("u" + i);
      }
    }

    List<String> out = drain(outbox);

    assertThat(out.stream().filter(s -> s.startsWith("u")).toList()).isEqualTo(expectedUnkeyed);
    assertThat(out.stream().filter(s -> s.startsWith("k")).toList()).containsExactly("k199");
    assertThat(out).last().isEqualTo("k199");
  }

  @Test
  void conflationIsAllowedWhenTheQueueIsFullByFrames() {
    Outbox outbox = new Outbox(2, 1_000);
    outbox.offer(frame("temp=1"), "temp");
    outbox.offer(frame("conn"), null);

    assertThat(outbox.offer(frame("temp=2"), "temp")).isTrue();

    assertThat(outbox.frames()).isEqualTo(2);
    assertThat(drain(outbox)).containsExactly("conn", "temp=2");
  }

  @Test
  void conflationCountsTheBytesOfTheNewFrameOnly() {
    Outbox outbox = new Outbox(10, 10);
    outbox.offer(frame("12345"), "k");
    outbox.offer(frame("abc"), null);

    assertThat(outbox.offer(frame("1234567"), "k"))
        .as("3 + 7 = 10 fits once the 5 bytes go")
        .isTrue();
    assertThat(outbox.bytes()).isEqualTo(10);
    assertThat(outbox.offer(frame("1"), "k")).isTrue();
    assertThat(outbox.bytes()).isEqualTo(4);
    assertThat(outbox.frames()).isEqualTo(2);
  }

  @Test
  void aConflatingFrameThatDoesNotFitLeavesTheOlderOneInPlace() {
    Outbox outbox = new Outbox(10, 10);
    outbox.offer(frame("12345"), "k");
    outbox.offer(frame("abc"), null);

    assertThat(outbox.offer(frame("12345678"), "k")).isFalse();

    assertThat(outbox.conflated()).isZero();
    assertThat(outbox.frames()).isEqualTo(2);
    assertThat(outbox.bytes()).isEqualTo(8);
    assertThat(drain(outbox)).containsExactly("12345", "abc");
  }

  @Test
  void aFrameAlreadyTakenIsNotConflatedWith() {
    Outbox outbox = new Outbox(10, 1_000);
    outbox.offer(frame("temp=1"), "temp");
    assertThat(new String(outbox.poll(), StandardCharsets.US_ASCII)).isEqualTo("temp=1");

    outbox.offer(frame("temp=2"), "temp");

    assertThat(outbox.conflated()).isZero();
    assertThat(outbox.frames()).isEqualTo(1);
    assertThat(drain(outbox)).containsExactly("temp=2");
  }

  @Test
  void keysAreComparedByEquality() {
    Outbox outbox = new Outbox(10, 1_000);
    outbox.offer(frame("v1"), new String("d1/temp"));
    outbox.offer(frame("v2"), new String("d1/temp"));

    assertThat(drain(outbox)).containsExactly("v2");
  }

  @Test
  void compactionAfterManyConflationsKeepsTheRightContent() {
    Outbox outbox = new Outbox(50, 1_000_000);
    List<String> expected = new ArrayList<>();
    outbox.offer(frame("first"), null);
    expected.add("first");
    for (int i = 0; i < 5_000; i++) {
      outbox.offer(frame("a" + i), "a");
      outbox.offer(frame("b" + i), "b");
      if (i % 500 == 0) {
        outbox.offer(frame("u" + i), null);
        expected.add("u" + i);
      }
    }
    expected.add("a4999");
    expected.add("b4999");

    assertThat(outbox.frames()).isEqualTo(expected.size());
    assertThat(outbox.bytes()).isEqualTo(expected.stream().mapToLong(s -> s.length()).sum());
    assertThat(outbox.conflated()).isEqualTo(2 * 4_999);
    assertThat(drain(outbox)).isEqualTo(expected);
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void conflationKeepsWorkingAcrossPollsAndCompactions() {
    Outbox outbox = new Outbox(10, 1_000_000);
    List<String> taken = new ArrayList<>();
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < 40; i++) {
        outbox.offer(frame("r" + round + "a" + i), "a");
        outbox.offer(frame("r" + round + "b" + i), "b");
      }
      outbox.offer(frame("r" + round + "u"), null);
      taken.add(new String(outbox.poll(), StandardCharsets.US_ASCII));
    }

    // Each round leaves a, b (newest of the round) and u; the poll takes the head.
    assertThat(taken.get(0)).isEqualTo("r0a39");
    assertThat(outbox.frames()).isLessThanOrEqualTo(3);
    List<String> rest = drain(outbox);
    assertThat(rest).last().isEqualTo("r49u");
    assertThat(rest).contains("r49a39", "r49b39");
    assertThat(outbox.bytes()).isZero();
  }
}
