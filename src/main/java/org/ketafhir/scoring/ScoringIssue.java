package org.ketafhir.scoring;

import java.util.Objects;

/**
 * One reason a QuestionnaireResponse cannot be accepted as scored. The message names the item
 * (its linkId as sent by the client) and, for totals, both numbers; the server turns it into a
 * 422 OperationOutcome issue.
 *
 * @param kind what went wrong
 * @param linkId the linkId of the offending item as it appears in the response
 * @param message a sentence for the client
 * @param reported the number the client sent, when the issue is about a number (else null)
 * @param computed the number the server computed, when there is one (else null)
 */
public record ScoringIssue(Kind kind, String linkId, String message, Integer reported, Integer computed) {

    public enum Kind {
        /** A valueInteger that is not one of the item's answer weights. */
        ANSWER_OUT_OF_RANGE,
        /** A valueCoding that is not one of the item's answers. */
        UNKNOWN_ANSWER,
        /** An answer of a type the item cannot take (e.g. valueString on a scored item). */
        UNSUPPORTED_ANSWER_TYPE,
        /** The same item answered more than once. */
        DUPLICATE_ANSWER,
        /** The client's total differs from the total of its answers. */
        TOTAL_MISMATCH,
        /** The client sent a total that cannot be checked because items are unanswered. */
        TOTAL_NOT_VERIFIABLE
    }

    public ScoringIssue {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    static ScoringIssue of(Kind kind, String linkId, String message) {
        return new ScoringIssue(kind, linkId, message, null, null);
    }
}
