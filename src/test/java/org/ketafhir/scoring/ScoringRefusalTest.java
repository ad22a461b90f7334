package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;

class ScoringRefusalTest {

    @Test
    void shouldAnswer422NamingTheItemAndBothNumbers() {
        ScoringIssue mismatch = new ScoringIssue(ScoringIssue.Kind.TOTAL_MISMATCH, "44261-6",
                "item 44261-6: the response reports a total of 11 but its answers add up to 9", 11, 9);

        UnprocessableEntityException refusal = ScoringRefusal.of(List.of(mismatch));

        assertThat(refusal.getStatusCode()).isEqualTo(422);
        OperationOutcome outcome = (OperationOutcome) refusal.getOperationOutcome();
        assertThat(outcome.getIssue()).singleElement().satisfies(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getCode()).isEqualTo(IssueType.BUSINESSRULE);
            assertThat(issue.getDiagnostics()).contains("44261-6", "total of 11", "add up to 9");
            assertThat(issue.getExpression()).extracting(e -> e.getValue())
                    .containsExactly("QuestionnaireResponse.repeat(item | answer.item).where(linkId = '44261-6')");
        });
    }

    @Test
    void shouldReportEveryIssueNotJustTheFirst() {
        List<ScoringIssue> issues = List.of(
                new ScoringIssue(ScoringIssue.Kind.ANSWER_OUT_OF_RANGE, "44250-9", "item 44250-9: answer 4 ...", 4, null),
                new ScoringIssue(ScoringIssue.Kind.DUPLICATE_ANSWER, "44255-8", "item 44255-8: answered twice", null, null));

        OperationOutcome outcome = (OperationOutcome) ScoringRefusal.of(issues).getOperationOutcome();

        assertThat(outcome.getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getCode)
                .containsExactly(IssueType.INVALID, IssueType.INVALID);
    }
}
