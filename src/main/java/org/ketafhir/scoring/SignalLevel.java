package org.ketafhir.scoring;

import java.util.Arrays;
import java.util.Locale;

/**
 * Level of a safety signal, as declared by the {@code level} of an instrument-safety-rule. It names the signal for
 * people and reports; what the signal raises (Flag, Task priority, wording) is the rule's policy, not the level.
 * The depression scales' suicide items (PHQ-9 item 9, MADRS item 10, QIDS-SR16 item 12) use POSITIVE and URGENT, and
 * PHQ-9 UNANSWERED for item 9 left blank; the C-SSRS screener uses LOW, MODERATE and HIGH.
 */
public enum SignalLevel {
    NONE,
    LOW,
    POSITIVE,
    MODERATE,
    HIGH,
    URGENT,
    UNANSWERED;

    /** The FHIR code as written in the guide (lower case). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SignalLevel fromCode(String code) {
        return Arrays.stream(values())
                .filter(l -> l != NONE && l.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new InstrumentDefinitionException("unknown safety level '" + code
                        + "' (expected one of low, positive, moderate, high, urgent, unanswered)"));
    }
}
