package org.ketafhir.scoring;

import java.util.List;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;

/**
 * A response the server refuses to store or score: 422 Unprocessable Entity with an OperationOutcome that has one
 * issue per problem. Each issue's diagnostics is the scoring message (the item's linkId and, for totals, the number
 * sent and the number computed) and its expression locates the item in the response.
 */
final class ScoringRefusal {

    private ScoringRefusal() {}

    static UnprocessableEntityException of(List<ScoringIssue> issues) {
        OperationOutcome outcome = new OperationOutcome();
        for (ScoringIssue issue : issues) {
            OperationOutcome.OperationOutcomeIssueComponent entry = outcome.addIssue()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(issue.kind() == ScoringIssue.Kind.TOTAL_MISMATCH
                            || issue.kind() == ScoringIssue.Kind.TOTAL_NOT_VERIFIABLE
                            ? IssueType.BUSINESSRULE
                            : IssueType.INVALID)
                    .setDiagnostics(issue.message());
            if (issue.linkId() != null) {
                entry.addExpression(itemExpression(issue.linkId()));
            }
        }
        String message = issues.stream().map(ScoringIssue::message).collect(Collectors.joining("; "));
        return new UnprocessableEntityException(message, outcome);
    }

    /** A refusal that is not about one item (e.g. a scored response without its patient). */
    static UnprocessableEntityException of(String message, String expression) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(IssueType.REQUIRED)
                .setDiagnostics(message)
                .addExpression(expression);
        return new UnprocessableEntityException(message, outcome);
    }

    /** FHIRPath to the item with this linkId, at any depth of groups and nested answers. */
    static String itemExpression(String linkId) {
        return "QuestionnaireResponse.repeat(item | answer.item).where(linkId = '" + linkId.replace("'", "\\'") + "')";
    }
}
