package io.thingpush.core.events;

import java.util.concurrent.CompletionException;

/** Reading the outcome of a {@link java.util.concurrent.CompletionStage}. */
public final class Completions {
  private Completions() {}

  /** What failed a stage: a stage derived from a failed one wraps the failure in a CompletionException. */
  public static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException e && e.getCause() != null
        ? e.getCause()
        : failure;
  }
}
