package io.thingpush.core.thingmodel;

import java.util.List;
import java.util.stream.Collectors;

/** A thing model that is itself invalid; each violation's path is relative to the model. */
public final class InvalidThingModelException extends RuntimeException {
  private final List<Violation> violations;

  InvalidThingModelException(List<Violation> violations) {
    super(
        violations.stream().map(Violation::toString).collect(Collectors.joining("; ")),
        null,
        false,
        false);
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
