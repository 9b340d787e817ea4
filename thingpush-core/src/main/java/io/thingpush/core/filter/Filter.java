package io.thingpush.core.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelErrorCode;
import dev.cel.common.types.CelType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelUnknownSet;
import io.thingpush.protocol.SubCode;
import java.util.Map;

/**
 * A compiled subscription filter: one CEL expression over the push body of one code. Immutable
 * and safe to evaluate from any thread. Two filters are equal when their code and text are, so a
 * filter can be part of a subscription's identity.
 */
public final class Filter {
  /** What one evaluation decided. */
  public enum Verdict {
    /** The expression is true: push the event. */
    PASS,
    /** The expression is false, or needs a field the event does not have: skip the event. */
    FAIL,
    /**
     * The expression failed on this event (division by zero, a value of an unexpected type, the
     * iteration budget spent): skip the event and count it.
     */
    ERROR
  }

  private final SubCode code;
  private final String expression;
  private final Map<String, CelType> fields;
  private final CelRuntime.Program program;

  Filter(SubCode code, String expression, Map<String, CelType> fields, CelRuntime.Program program) {
    this.code = code;
    this.expression = expression;
    this.fields = fields;
    this.program = program;
  }

  public SubCode code() {
    return code;
  }

  /** The expression as the client sent it. */
  public String expression() {
    return expression;
  }

  /** Evaluates the filter over one push body (SPEC §3); never throws for what the body holds. */
  public Verdict evaluate(ObjectNode body) {
    Object result;
    try {
      result = program.eval(new BodyVariables(body, fields));
    } catch (CelEvaluationException e) {
      // A key a map lacks (params.humidity on a report without it) is a missing field.
      return e.getErrorCode() == CelErrorCode.ATTRIBUTE_NOT_FOUND ? Verdict.FAIL : Verdict.ERROR;
    }
    if (result instanceof Boolean pass) {
      return pass ? Verdict.PASS : Verdict.FAIL;
    }
    // A top-level field the body lacks leaves the result unknown: also a missing field.
    return result instanceof CelUnknownSet ? Verdict.FAIL : Verdict.ERROR;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Filter other && code == other.code && expression.equals(other.expression);
  }

  @Override
  public int hashCode() {
    return 31 * code.hashCode() + expression.hashCode();
  }

  @Override
  public String toString() {
    return code.wire() + " filter " + expression;
  }
}
