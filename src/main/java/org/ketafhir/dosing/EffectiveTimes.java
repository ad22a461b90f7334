package org.ketafhir.dosing;

import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Type;

/**
 * When a record happened, read from a choice element ({@code effective[x]}, {@code performed[x]}, {@code onset[x]}):
 * a dateTime or instant as given, a Period by its start. The dosing rules and the outcome summaries time readings
 * and sessions by this one reader, so a record is at the same instant for both.
 */
public final class EffectiveTimes {

    private EffectiveTimes() {}

    /** Empty for another type (Timing, Age, ...), an empty value or a Period without a start. */
    public static Optional<Instant> of(Type value) {
        if (value instanceof DateTimeType dateTime && dateTime.getValue() != null) {
            return Optional.of(dateTime.getValue().toInstant());
        }
        if (value instanceof Period period && period.hasStart()) {
            return Optional.of(period.getStart().toInstant());
        }
        if (value instanceof InstantType instant && instant.getValue() != null) {
            return Optional.of(instant.getValue().toInstant());
        }
        return Optional.empty();
    }
}
