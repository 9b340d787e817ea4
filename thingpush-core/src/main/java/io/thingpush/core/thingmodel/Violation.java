package io.thingpush.core.thingmodel;

/**
 * One broken rule: {@code path} names where (a property identifier such as {@code temp}, a
 * struct field {@code pos.x}, an array item {@code points[2]}, or a place in a thing model such
 * as {@code properties[0].max}; empty for the model itself), {@code rule} says what is wrong.
 */
public record Violation(String path, String rule) {
  @Override
  public String toString() {
    return path.isEmpty() ? rule : path + ": " + rule;
  }
}
