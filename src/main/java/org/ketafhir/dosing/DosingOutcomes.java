package org.ketafhir.dosing;

import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DetectedIssue.DetectedIssueSeverity;
import org.hl7.fhir.r4.model.DetectedIssue.DetectedIssueStatus;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;

/**
 * How findings leave the server: a refusal (422 with one OperationOutcome issue per error), warning issues added to
 * an OperationOutcome, and the DetectedIssue that records the warnings and overrides of a stored session.
 */
final class DosingOutcomes {

    static final String KETAFHIR = "http://ketafhir.org/fhir/CodeSystem/ketafhir";
    /** The guide's CodeSystem ketafhir-dosing-rule (was the bare http://ketafhir.org/fhir/dosing-rule). */
    static final String RULE_SYSTEM = DosingRuleCatalogue.URL;

    private DosingOutcomes() {}

    /** @param session how the message names the session: "Dosing session", or with its id where that helps */
    static UnprocessableEntityException refusal(String session, List<Finding> errors) {
        OperationOutcome outcome = new OperationOutcome();
        errors.forEach(error -> issue(outcome, error, IssueSeverity.ERROR));
        String message = session + " refused: "
                + errors.stream().map(Finding::diagnostics).collect(Collectors.joining("; "));
        return new UnprocessableEntityException(message, outcome);
    }

    /** A refusal that is not about one rule (e.g. a session without a patient). */
    static UnprocessableEntityException refusal(String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.REQUIRED).setDiagnostics(message)
                .addExpression("MedicationAdministration.subject");
        return new UnprocessableEntityException(message, outcome);
    }

    static void addWarnings(OperationOutcome outcome, List<Finding> warnings) {
        warnings.forEach(warning -> issue(outcome, warning, IssueSeverity.WARNING));
    }

    private static void issue(OperationOutcome outcome, Finding finding, IssueSeverity severity) {
        outcome.addIssue()
                .setSeverity(severity)
                .setCode(IssueType.BUSINESSRULE)
                .setDetails(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(RULE_SYSTEM, finding.rule(), null))
                        .setText(finding.message()))
                .setDiagnostics(finding.diagnostics())
                .addExpression("MedicationAdministration");
    }

    /** Id of the DetectedIssue of a session: one per session, updated when the session is stored again. */
    static String issueId(String sessionId) {
        return "dosing-" + sessionId;
    }

    /**
     * The DetectedIssue of a stored session with warnings: code dosing-rule-overridden when an error was let through by
     * an override reason (high severity, the reasons as mitigations), else dosing-rule-warning (moderate).
     */
    static DetectedIssue detectedIssue(String sessionId, String patient, List<Finding> warnings,
            List<CodeableConcept> overrideReasons, Date now) {
        boolean overridden = warnings.stream().anyMatch(Finding::overridden);
        DetectedIssue issue = new DetectedIssue();
        issue.setId(issueId(sessionId));
        issue.setStatus(DetectedIssueStatus.FINAL);
        issue.setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(KETAFHIR,
                overridden ? "dosing-rule-overridden" : "dosing-rule-warning",
                overridden ? "Dosing rule overridden" : "Dosing rule warning")));
        issue.setSeverity(overridden ? DetectedIssueSeverity.HIGH : DetectedIssueSeverity.MODERATE);
        issue.setPatient(new Reference(patient));
        issue.setIdentified(new org.hl7.fhir.r4.model.DateTimeType(now));
        issue.addImplicated(new Reference("MedicationAdministration/" + sessionId));
        issue.setDetail(warnings.stream().map(Finding::diagnostics).collect(Collectors.joining("\n")));
        for (Finding warning : warnings) {
            issue.addEvidence().addCode(new CodeableConcept()
                    .addCoding(new org.hl7.fhir.r4.model.Coding(RULE_SYSTEM, warning.rule(), null))
                    .setText(warning.diagnostics()));
        }
        if (overridden) {
            overrideReasons.forEach(reason -> issue.addMitigation().setAction(reason).setDate(now));
        }
        return issue;
    }
}
