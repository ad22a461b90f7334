package org.ketafhir.scoring;

import java.util.List;
import java.util.Optional;

/** Everything the processor found in one response: the scores, the safety signal and the errors. */
public final class ScoringResult {

    private final Instrument instrument;
    private final List<ScoreResult> scores;
    private final SafetyResult safety;
    private final List<ScoringIssue> errors;

    ScoringResult(Instrument instrument, List<ScoreResult> scores, SafetyResult safety, List<ScoringIssue> errors) {
        this.instrument = instrument;
        this.scores = List.copyOf(scores);
        this.safety = safety;
        this.errors = List.copyOf(errors);
    }

    public Instrument instrument() {
        return instrument;
    }

    /** One result per score the instrument declares, in the declared order (total first). */
    public List<ScoreResult> scores() {
        return scores;
    }

    public Optional<ScoreResult> score(String system, String code) {
        return scores.stream().filter(s -> s.definition().hasCode(system, code)).findFirst();
    }

    public List<ScoreResult> computedScores() {
        return scores.stream().filter(ScoreResult::isComputed).toList();
    }

    public SafetyResult safety() {
        return safety;
    }

    /** Reasons to refuse the response; empty when it is acceptable. */
    public List<ScoringIssue> errors() {
        return errors;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
