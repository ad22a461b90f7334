package org.ketafhir.scoring;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one score for one response.
 *
 * @param definition the score
 * @param value the score, or null when it could not be computed (see {@code missingLinkIds})
 * @param prorated whether the value was prorated over missing items (only where the guide allows it)
 * @param missingLinkIds the guide linkIds of unanswered items that the score needs
 * @param band the severity band of the value, or null
 * @param reportedValue the total the client sent in the score's read-only item, or null
 */
public record ScoreResult(
        ScoreDefinition definition,
        Integer value,
        boolean prorated,
        List<String> missingLinkIds,
        SeverityBand band,
        Integer reportedValue) {

    public ScoreResult {
        missingLinkIds = List.copyOf(missingLinkIds);
    }

    public boolean isComputed() {
        return value != null;
    }

    public Optional<SeverityBand> bandIfAny() {
        return Optional.ofNullable(band);
    }
}
