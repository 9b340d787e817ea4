package io.thingpush.server.registry;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one import phase so that the user can fix them all in one go. */
final class ImportProblems {
  private final List<RegistryImportException.Problem> problems = new ArrayList<>();

  void add(String path, String reason) {
    problems.add(new RegistryImportException.Problem(path, reason));
  }

  int count() {
    return problems.size();
  }

  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new RegistryImportException(problems);
    }
  }
}
