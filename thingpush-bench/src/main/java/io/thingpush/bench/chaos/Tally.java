package io.thingpush.bench.chaos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * What one subscriber got against what was acknowledged: every acknowledged event must arrive
 * once, in seq order. {@code lost}: acknowledged and never received; {@code duplicated}: pushes
 * of a seq already received; {@code outOfOrder}: pushes below a seq received before them;
 * {@code unacknowledged}: distinct seqs received that no publish was told were stored (a
 * publish answered 503 after its time-out may still have been stored, which is allowed).
 */
record Tally(
    long acknowledged,
    long delivered,
    long lost,
    long duplicated,
    long outOfOrder,
    long unacknowledged,
    List<Long> lostSeqs) {
  /** The first lost seqs kept for the report. */
  static final int LOST_SEQS_SHOWN = 10;

  /** Tallies {@code received} (the subscriber's pushes in arrival order) against {@code acknowledged}. */
  static Tally of(SortedSet<Long> acknowledged, List<Long> received) {
    Set<Long> seen = new HashSet<>();
    long duplicated = 0;
    long outOfOrder = 0;
    long highest = Long.MIN_VALUE;
    for (long seq : received) {
      if (!seen.add(seq)) {
        duplicated++;
      } else if (seq < highest) {
        outOfOrder++;
      }
      highest = Math.max(highest, seq);
    }
    long delivered = 0;
    List<Long> lostSeqs = new ArrayList<>();
    for (long seq : acknowledged) {
      if (seen.contains(seq)) {
        delivered++;
      } else if (lostSeqs.size() < LOST_SEQS_SHOWN) {
        lostSeqs.add(seq);
      }
    }
    return new Tally(
        acknowledged.size(),
        delivered,
        acknowledged.size() - delivered,
        duplicated,
        outOfOrder,
        seen.size() - delivered,
        List.copyOf(lostSeqs));
  }

  /** Whether this subscriber saw something the guarantees rule out. */
  boolean failed() {
    return lost > 0 || duplicated > 0 || outOfOrder > 0;
  }
}
