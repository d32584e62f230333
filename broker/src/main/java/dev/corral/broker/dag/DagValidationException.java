package dev.corral.broker.dag;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A DAG specification was refused; {@link #problems()} lists every problem found, not only the first. Nothing
 * was written to Redis.
 */
public final class DagValidationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** How many problems the message spells out (all are in {@link #problems()}). */
  private static final int MESSAGE_PROBLEMS = 20;

  private final transient List<DagProblem> problems;

  /** An exception carrying {@code problems} (at least one). */
  public DagValidationException(List<DagProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in the order found. */
  public List<DagProblem> problems() {
    return problems;
  }

  private static String message(List<DagProblem> problems) {
    String listed = problems.stream().limit(MESSAGE_PROBLEMS).map(DagProblem::toString)
        .collect(Collectors.joining("; "));
    int more = problems.size() - MESSAGE_PROBLEMS;
    return "invalid DAG, " + problems.size() + " problem(s): " + listed + (more > 0 ? "; and " + more + " more" : "");
  }
}
