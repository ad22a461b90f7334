package org.ketafhir.scoring;

/**
 * How a score copes with unanswered items, as the guide states it per instrument.
 *
 * @param method NONE: no score unless every term is answered; MEAN: up to {@code maxMissing} terms may be
 *     missing, and the score is the sum of the answered terms times (terms / answered terms), rounded half up
 * @param maxMissing the most terms that may be missing (0 for NONE)
 * @param note the rule in words and its source, as written in the guide
 */
public record Prorating(Method method, int maxMissing, String note) {

    public enum Method {
        NONE,
        MEAN
    }

    public boolean allows(int missingTerms, int answeredTerms) {
        return method == Method.MEAN && missingTerms <= maxMissing && answeredTerms > 0;
    }
}
