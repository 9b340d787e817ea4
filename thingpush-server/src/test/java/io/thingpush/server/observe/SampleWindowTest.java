package io.thingpush.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The operator view's figures from two samples of the node's counters. */
class SampleWindowTest {
  private static final double[] BOUNDS = {1e6, 2e6, 5e6, 10e6};
  private static final long SECOND = 1_000_000_000L;

  private static NodeSample at(long seconds, long in, long out, long[] latency) {
    return new NodeSample(seconds * SECOND, in, out, 0, 0, BOUNDS, latency);
  }

  @Test
  void ratesAreTheDifferencePerSecondBetweenTheOldestAndNewestSample() {
    NodeSample older = at(0, 100, 1000, new long[4]);
    NodeSample newer = at(10, 600, 3000, new long[4]);

    assertThat(newer.eventsInPerSecond(older)).isEqualTo(50.0);
    assertThat(newer.eventsOutPerSecond(older)).isEqualTo(200.0);
    assertThat(newer.eventsInPerSecond(newer)).as("no time between them").isZero();
  }

  @Test
  void theP99IsTheBoundOfTheBucketThatHolds99PercentOfThePushesBetweenTheSamples() {
    // Before: 1000 pushes all under 1 ms. Between the samples: 97 under 1 ms, 2 under 5 ms, 1 under
    // 10 ms.
    NodeSample older = at(0, 0, 0, new long[] {1000, 1000, 1000, 1000});
    NodeSample newer = at(10, 0, 0, new long[] {1097, 1097, 1099, 1100});
    assertThat(newer.latencyP99Millis(older)).isEqualTo(5.0);

    NodeSample slower = at(10, 0, 0, new long[] {1090, 1090, 1090, 1100});
    assertThat(slower.latencyP99Millis(older)).isEqualTo(10.0);
    assertThat(older.latencyP99Millis(older)).as("no push between them").isNull();
  }

  @Test
  void theWindowKeepsTheNewestSampleThatIsAtLeastTheSpanOld() {
    SampleWindow window = new SampleWindow(10 * SECOND);
    long[] none = new long[4];
    window.add(at(0, 0, 0, none));
    assertThat(window.oldest()).isSameAs(window.newest());
    for (int s = 1; s <= 25; s++) {
      window.add(at(s, s, 0, none));
    }
    assertThat(window.newest().eventsIn()).isEqualTo(25);
    assertThat(window.oldest().eventsIn()).isEqualTo(15);
    window.add(at(25, 26, 0, none)); // asked twice in the same second
    assertThat(window.oldest().eventsIn()).isEqualTo(15);
  }
}
