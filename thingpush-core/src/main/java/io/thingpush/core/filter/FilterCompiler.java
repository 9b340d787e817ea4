package io.thingpush.core.filter;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypes;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.SubscribeRequest;
import io.thingpush.protocol.ThingPushException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Compiles subscription filters (SPEC §10): CEL expressions over a code's push body, each field
 * of the body a variable. Compile once per subscription; the {@link Filter} is then evaluated per
 * matching event.
 *
 * <p>What a filter can do is fixed here: the standard CEL functions and macros only (no function
 * of ours, no protobuf types), the declared body fields only, read from the event's body only.
 * Standard CEL has no I/O, clock, randomness or unbounded loop, and its regular expressions are
 * RE2 (linear time); the macros ({@code exists}, {@code all}, {@code map}, {@code filter}) share a
 * budget of {@value #MAX_ITERATIONS} iterations per evaluation, so nested loops over a large
 * report cannot stall an event loop. Ints compare with doubles ({@code param > 30} holds for 30.5).
 *
 * <p>Type-checking costs hundreds of microseconds (the library builds its standard environment
 * anew for each check), and many subscriptions send the same filter (every dashboard of one
 * app), so the last {@value #CACHED} filters compiled are kept and shared: they are immutable.
 */
public final class FilterCompiler {
  /** The longest filter, in characters (code points); a longer one is refused with 100015. */
  public static final int MAX_LENGTH = SubscribeRequest.MAX_FILTER_LENGTH;

  /** Iterations of all the macros of one evaluation together. */
  static final int MAX_ITERATIONS = 1000;

  /** Compiled filters kept for reuse, the least recently asked for dropped first. */
  static final int CACHED = 1000;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(MAX_ITERATIONS)
          .build();

  private final Map<SubCode, Map<String, CelType>> fields = new EnumMap<>(SubCode.class);
  private final Map<SubCode, CelCompiler> compilers = new EnumMap<>(SubCode.class);
  private final CelRuntime runtime =
      CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  private final Map<Key, Filter> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Filter> eldest) {
          return size() > CACHED;
        }
      };

  private record Key(SubCode code, String expression) {}

  /** Filters being compiled, and who waits for them. */
  private final Map<Key, CompletableFuture<Filter>> compiling = new HashMap<>();

  public FilterCompiler() {
    for (SubCode code : SubCode.values()) {
      Map<String, CelType> vars = BodyFields.of(code);
      CelCompilerBuilder compiler =
          CelCompilerFactory.standardCelCompilerBuilder()
              .setOptions(OPTIONS)
              .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
      vars.forEach(compiler::addVar);
      fields.put(code, vars);
      compilers.put(code, compiler.build());
    }
  }

  /**
   * The filter {@code expression} over the bodies of {@code code}.
   *
   * @throws ThingPushException 100015 when it is longer than {@value #MAX_LENGTH} characters;
   *     100006 when it does not parse or type-check (naming line:column) or is not a bool
   */
  public Filter compile(SubCode code, String expression) {
    Filter cached = cached(code, expression);
    if (cached != null) {
      return cached;
    }
    Key key = new Key(code, expression);
    Filter compiled = compileAnew(code, expression);
    synchronized (cache) {
      cache.put(key, compiled);
    }
    return compiled;
  }

  /**
   * The filter as {@link #compile} gives it: at once when it was compiled lately, else compiled
   * on {@code executor} (a type-check is too long for a thread that serves connections), once
   * for all who ask for the same filter meanwhile (the dashboards of one app opening together).
   * A refusal fails the stage with its {@link ThingPushException}.
   */
  public CompletableFuture<Filter> compile(SubCode code, String expression, Executor executor) {
    Filter cached = cached(code, expression);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    Key key = new Key(code, expression);
    CompletableFuture<Filter> compiled;
    synchronized (compiling) {
      compiled = compiling.get(key);
      if (compiled != null) {
        return compiled;
      }
      compiled = new CompletableFuture<>();
      compiling.put(key, compiled);
    }
    CompletableFuture<Filter> result = compiled;
    try {
      executor.execute(
          () -> {
            try {
              result.complete(compile(code, expression));
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
            } finally {
              synchronized (compiling) {
                compiling.remove(key);
              }
            }
          });
    } catch (RuntimeException rejected) {
      synchronized (compiling) {
        compiling.remove(key);
      }
      result.completeExceptionally(rejected);
    }
    return result;
  }

  private Filter cached(SubCode code, String expression) {
    Key key = new Key(code, Objects.requireNonNull(expression, "expression"));
    synchronized (cache) {
      return cache.get(key);
    }
  }

  private Filter compileAnew(SubCode code, String expression) {
    if (expression.codePointCount(0, expression.length()) > MAX_LENGTH) {
      throw new ThingPushException(
          ErrorCode.OUT_OF_RANGE, "filter is longer than " + MAX_LENGTH + " characters");
    }
    CelValidationResult checked = compilers.get(code).compile(expression);
    if (checked.hasError()) {
      throw refusal(code, checked.getErrors().get(0));
    }
    try {
      CelAbstractSyntaxTree ast = checked.getAst();
      if (!SimpleType.BOOL.equals(ast.getResultType())) {
        throw new ThingPushException(
            ErrorCode.PARAMETER,
            "filter must be true or false, not " + CelTypes.format(ast.getResultType()));
      }
      return new Filter(code, expression, fields.get(code), runtime.createProgram(ast));
    } catch (CelValidationException | CelEvaluationException e) {
      // Neither happens to an expression that type-checked; refused rather than kept half-built.
      throw new ThingPushException(ErrorCode.PARAMETER, "filter: " + e.getMessage());
    }
  }

  private ThingPushException refusal(SubCode code, CelIssue issue) {
    // CEL's columns count from 0; people count from 1.
    String where =
        issue.getSourceLocation().getLine() + ":" + (issue.getSourceLocation().getColumn() + 1);
    String message = issue.getMessage().replace(" (in container '')", "");
    if (message.startsWith("undeclared reference")) {
      message += "; " + code.wire() + " has " + String.join(", ", fields.get(code).keySet());
    }
    return new ThingPushException(ErrorCode.PARAMETER, "filter " + where + ": " + message);
  }
}
