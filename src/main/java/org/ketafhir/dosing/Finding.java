package org.ketafhir.dosing;

/**
 * One dosing rule a session breaks.
 *
 * @param rule        the rule's id (e.g. {@code iv-dose-ceiling}), cited in the OperationOutcome and DetectedIssue
 * @param severity    what the rule does now: refuse (error) or store and signal (warning)
 * @param measured    the value measured on the session, with its unit ("1.0 mg/kg", "no reading")
 * @param threshold   the limit it was compared with ("at or above 1.0 mg/kg")
 * @param overridable whether an override reason on the session lets it through
 * @param overridden  whether it was an overridable error that the session's override reason turned into a warning
 * @param message     the sentence a clinician reads
 */
record Finding(
        String rule, Severity severity, String measured, String threshold, boolean overridable, boolean overridden,
        String message) {

    enum Severity {
        ERROR,
        WARNING
    }

    boolean refuses() {
        return severity == Severity.ERROR;
    }

    /** The same finding let through by an override reason. */
    Finding overriddenByReason() {
        return new Finding(rule, Severity.WARNING, measured, threshold, overridable, true,
                message + " (overridden with a recorded reason)");
    }

    /** "rule: message (measured ..., threshold ...)". */
    String diagnostics() {
        return rule + ": " + message + " (measured: " + measured + "; threshold: " + threshold + ")";
    }
}
