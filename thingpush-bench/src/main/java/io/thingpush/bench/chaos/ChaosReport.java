package io.thingpush.bench.chaos;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The figures of a run as Markdown tables (the form docs/RELIABILITY.md keeps them in). */
final class ChaosReport {
  private static final String STREAM_HEADER =
      """
      | scenario | subscriber | nodes | acknowledged | delivered | lost | duplicated | out of order | delivered, not acknowledged | resumes (not recovered) |
      |---|---|---|---|---|---|---|---|---|---|
      """;
  private static final String REVOKE_HEADER =
      """
      | scenario | rounds | events after the revoke, before 100012 | rounds with such events | events after 100012 | rounds without 100012 | events before the revoke missed |
      |---|---|---|---|---|---|---|
      """;

  private static final int STALE_ROUNDS_SHOWN = 10;

  private ChaosReport() {}

  /** Writes the tables, the notes and the verdict; whether anything failed. */
  static boolean write(
      PrintWriter out, List<ChaosRun.StreamResult> streams, List<ChaosRun.RevokeResult> revokes) {
    boolean failed = false;
    if (!streams.isEmpty()) {
      out.print(STREAM_HEADER);
      for (ChaosRun.StreamResult result : streams) {
        rows(result).forEach(out::println);
        failed |= result.failed();
      }
      out.println();
      streams.forEach(result -> notes(result).forEach(out::println));
    }
    for (ChaosRun.RevokeResult result : revokes) {
      out.println();
      out.print(REVOKE_HEADER);
      out.println(row(result));
      result.staleSeqs().stream()
          .limit(STALE_ROUNDS_SHOWN)
          .forEach(s -> out.println("stale after the revoke, " + s));
      if (result.staleSeqs().size() > STALE_ROUNDS_SHOWN) {
        out.println(
            "stale after the revoke: "
                + (result.staleSeqs().size() - STALE_ROUNDS_SHOWN)
                + " more rounds");
      }
      failed |= result.failed();
    }
    out.println(
        failed
            ? "FAILED: an acknowledged event was lost, duplicated or out of order, or a revoked right got an event"
            : "OK: every acknowledged event reached every subscriber once, in order; no event after a revoke");
    out.flush();
    return failed;
  }

  private static List<String> rows(ChaosRun.StreamResult result) {
    List<String> rows = new ArrayList<>();
    for (ChaosRun.SubscriberResult s : result.subscribers()) {
      Tally t = s.tally();
      rows.add(
          "| "
              + result.scenario().label()
              + " | "
              + s.name()
              + " | "
              + s.trail()
              + " | "
              + t.acknowledged()
              + " | "
              + t.delivered()
              + " | "
              + t.lost()
              + " | "
              + t.duplicated()
              + " | "
              + t.outOfOrder()
              + " | "
              + t.unacknowledged()
              + " | "
              + s.resumes()
              + " ("
              + s.notRecovered()
              + ") |");
    }
    return rows;
  }

  /** Publishes not taken, and the first lost seqs of each subscriber that lost any. */
  static List<String> notes(ChaosRun.StreamResult result) {
    List<String> notes = new ArrayList<>();
    notes.add(
        result.scenario().label()
            + ": "
            + result.acknowledged()
            + " publishes acknowledged, "
            + result.notTaken()
            + " not (refused or unanswered)");
    for (ChaosRun.SubscriberResult s : result.subscribers()) {
      if (s.tally().lost() > 0) {
        notes.add(
            result.scenario().label()
                + ": "
                + s.name()
                + " lost "
                + s.tally().lost()
                + ", first seqs "
                + s.tally().lostSeqs());
      }
    }
    return notes;
  }

  private static String row(ChaosRun.RevokeResult r) {
    return "| revoke | "
        + r.rounds()
        + " | "
        + r.stale()
        + " | "
        + r.roundsWithStale()
        + " | "
        + r.afterEnd()
        + " | "
        + r.unended()
        + " | "
        + r.missed()
        + " |";
  }
}
