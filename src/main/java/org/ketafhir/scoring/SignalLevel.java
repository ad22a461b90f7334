package org.ketafhir.scoring;

import java.util.Arrays;
import java.util.Locale;

/**
 * Level of a safety signal, as declared by the {@code level} of an instrument-safety-rule.
 * PHQ-9 item 9 uses POSITIVE and URGENT; the C-SSRS screener uses LOW, MODERATE and HIGH.
 */
public enum SignalLevel {
    NONE,
    LOW,
    POSITIVE,
    MODERATE,
    HIGH,
    URGENT;

    /** The FHIR code as written in the guide (lower case). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SignalLevel fromCode(String code) {
        return Arrays.stream(values())
                .filter(l -> l != NONE && l.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new InstrumentDefinitionException("unknown safety level '" + code
                        + "' (expected one of low, positive, moderate, high, urgent)"));
    }
}
