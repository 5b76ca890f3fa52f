package io.maestro.inventory.transfer;

import io.maestro.support.problem.Problem;
import io.maestro.support.problem.ProblemException;

import java.util.List;

/** An import too large to take: 413 naming the limit, before anything is read into the database. */
final class ImportLimits {
    private ImportLimits() {
    }

    static ProblemException tooManyRows(int maxRows) {
        return new ProblemException(413, "Content Too Large", "an import holds at most " + maxRows + " rows; split the file",
                List.of(new Problem.FieldError("body", "at most " + maxRows + " rows")));
    }

    static ProblemException tooManyBytes(long maxBytes) {
        return new ProblemException(413, "Content Too Large", "an import is at most " + maxBytes + " bytes; split the file",
                List.of(new Problem.FieldError("body", "at most " + maxBytes + " bytes")));
    }
}
