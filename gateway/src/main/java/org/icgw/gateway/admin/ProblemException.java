package org.icgw.gateway.admin;

/** Unwinds a handler with the problem to answer; raised for requests that cannot be served. */
final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
