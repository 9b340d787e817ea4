package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Drops a push seen twice while a resume's replays arrive: two overlapping subscriptions each
 * replay the events they match, so an event may come once per subscription. Outside a resume
 * the server never sends an event twice and nothing is remembered. Pure: no I/O; not
 * thread-safe (the client calls it from one thread).
 */
final class ResumeFilter {
  private Set<String> seen;

  /** Starts remembering pushes: a resume begins. */
  void begin() {
    seen = new HashSet<>();
  }

  /** Forgets them: every replay has arrived. */
  void end() {
    seen = null;
  }

  boolean active() {
    return seen != null;
  }

  /** Whether {@code push} is new (always true outside a resume). */
  boolean admit(JsonNode push) {
    return seen == null || seen.add(identity(push));
  }

  /** seq and code; a V2 push through identifier subscriptions carries a subset, part of its identity. */
  static String identity(JsonNode push) {
    String path = push.path("path").asText();
    String subset = "";
    if ("devicePropertyReportV2".equals(path)) {
      List<String> names = new ArrayList<>();
      push.path("body").path("params").fieldNames().forEachRemaining(names::add);
      names.sort(null);
      subset = String.join(",", names);
    }
    return push.path("seq").asLong() + " " + path + " " + subset;
  }
}
