package org.ketafhir.scoring;

import java.util.List;
import java.util.stream.Collectors;

/** A response that cannot be scored as sent; carries every issue found, not just the first. */
public class ScoringException extends RuntimeException {

    private final transient List<ScoringIssue> issues;

    public ScoringException(List<ScoringIssue> issues) {
        super(issues.stream().map(ScoringIssue::message).collect(Collectors.joining("; ")));
        this.issues = List.copyOf(issues);
    }

    public List<ScoringIssue> getIssues() {
        return issues;
    }
}
