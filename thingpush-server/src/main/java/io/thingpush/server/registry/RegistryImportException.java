package io.thingpush.server.registry;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An import file that is refused before anything is written. The message names each bad entry by
 * its JSON path and says why, e.g. {@code devices[3].areaID: area a-x is not in project p-plant};
 * several problems are joined with "; ", in file order.
 */
public final class RegistryImportException extends RuntimeException {
  /** Problems listed in the message at most; {@link #problems()} has them all. */
  static final int MAX_IN_MESSAGE = 20;

  /** One bad entry: its JSON path ({@code $} for the whole file) and the reason. */
  public record Problem(String path, String reason) {
    @Override
    public String toString() {
      return path + ": " + reason;
    }
  }

  private final List<Problem> problems;

  public RegistryImportException(List<Problem> problems) {
    super(message(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an import exception needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public RegistryImportException(String path, String reason) {
    this(List.of(new Problem(path, reason)));
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String message(List<Problem> problems) {
    String shown =
        problems.stream()
            .limit(MAX_IN_MESSAGE)
            .map(Problem::toString)
            .collect(Collectors.joining("; "));
    int more = problems.size() - MAX_IN_MESSAGE;
    return more > 0 ? shown + "; and " + more + " more" : shown;
  }
}
