package io.thingpush.bench.run;

/**
 * One offered load: {@code max} (flat out, as fast as the clients take it), a share of the
 * baseline's saturated deliveries/s in the same run ({@code 25%}), or a fixed number of events
 * per second ({@code 2000}).
 */
public record Load(String label, Kind kind, double value) {
  public enum Kind {
    MAX,
    SHARE_OF_BASELINE,
    EVENTS_PER_SECOND
  }

  public static Load parse(String text) {
    String t = text.trim();
    if (t.equals("max")) {
      return new Load(t, Kind.MAX, 0);
    }
    try {
      if (t.endsWith("%")) {
        double share = Double.parseDouble(t.substring(0, t.length() - 1)) / 100;
        if (share <= 0 || share > 1) {
          throw new IllegalArgumentException(
              "--loads: a share must be over 0% and at most 100%: " + t);
        }
        return new Load(t, Kind.SHARE_OF_BASELINE, share);
      }
      double rate = Double.parseDouble(t);
      if (rate <= 0) {
        throw new IllegalArgumentException("--loads: a rate must be positive: " + t);
      }
      return new Load(t + "/s", Kind.EVENTS_PER_SECOND, rate);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--loads: not max, NN% or a number of events/s: " + t);
    }
  }

  /**
   * Events per second to offer (0: flat out), given the deliveries per event and the baseline's
   * saturated deliveries/s in this run (NaN when not measured).
   */
  public double eventsPerSecond(double fanout, double baselineSaturation) {
    return switch (kind) {
      case MAX -> 0;
      case EVENTS_PER_SECOND -> value;
      case SHARE_OF_BASELINE -> {
        if (Double.isNaN(baselineSaturation)) {
          throw new IllegalArgumentException(
              "--loads " + label + " needs the baseline's `max` earlier in the same run");
        }
        yield value * baselineSaturation / fanout;
      }
    };
  }
}
