package org.ketafhir.scoring;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Type;
import org.ketafhir.scoring.SafetyRuleEvaluator.AnsweredItem;
import org.ketafhir.scoring.ScoringIssue.Kind;

import ca.uhn.fhir.context.FhirContext;

/**
 * Scores QuestionnaireResponses of the catalog's instruments: answer weights, totals and subscales, severity
 * bands, the check of a client-sent total, and the safety rules. Plain Java: it reads only the catalog and the
 * response it is given, and is safe to share between threads.
 *
 * <p>Items are matched to the guide's items by linkId, by item code (LOINC or local), or by the last segment of
 * a path linkId ({@code /44249-1/44250-9}), at any depth of groups. Answers are a {@code valueCoding} the item
 * weighs or a {@code valueInteger} equal to one of its weights. Items that are not part of the instrument are
 * ignored.
 */
public final class ScoringProcessor {

    private final InstrumentCatalog catalog;
    private final SafetyRuleEvaluator safetyRules;

    public ScoringProcessor(InstrumentCatalog catalog) {
        this(catalog, FhirContext.forR4Cached());
    }

    /**
     * @throws InstrumentDefinitionException when a safety rule's FHIRPath does not parse
     */
    public ScoringProcessor(InstrumentCatalog catalog, FhirContext fhirContext) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.safetyRules = new SafetyRuleEvaluator(Objects.requireNonNull(fhirContext, "fhirContext"), catalog);
    }

    public InstrumentCatalog catalog() {
        return catalog;
    }

    /**
     * Scores a response whose {@code questionnaire} names a catalog instrument (guide canonical, with or without
     * version, or {@code http://loinc.org/q/<panel>}).
     *
     * @return empty when the response is not of a known instrument
     */
    public Optional<ScoringResult> score(QuestionnaireResponse response) {
        Objects.requireNonNull(response, "response");
        return catalog.findFor(response).map(instrument -> score(response, instrument));
    }

    /** Scores a response against an instrument the caller already identified (e.g. via the Questionnaire's code). */
    public ScoringResult score(QuestionnaireResponse response, Instrument instrument) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(instrument, "instrument");
        Collected collected = new Collected();
        collect(instrument, response.getItem(), collected);

        List<ScoreResult> scores = new ArrayList<>();
        for (ScoreDefinition definition : instrument.scores()) {
            Reported reported = definition.reportedInLinkId() == null
                    ? null
                    : collected.reported.get(definition.reportedInLinkId());
            ScoreResult result = computeScore(definition, collected.answers, reported == null ? null : reported.value());
            scores.add(result);
            checkReportedTotal(result, reported, collected);
        }
        SafetyResult safety = safetyRules.evaluate(instrument, collected.answers);
        return new ScoringResult(instrument, scores, safety, collected.errors);
    }

    private static final class Collected {
        final Map<String, AnsweredItem> answers = new LinkedHashMap<>();
        final Map<String, Reported> reported = new LinkedHashMap<>();
        final List<ScoringIssue> errors = new ArrayList<>();
    }

    private record Reported(String responseLinkId, int value) {}

    private void collect(Instrument instrument, List<QuestionnaireResponseItemComponent> items, Collected into) {
        for (QuestionnaireResponseItemComponent item : items) {
            Optional<String> guideLinkId = instrument.resolveLinkId(item.getLinkId());
            if (guideLinkId.isPresent() && item.hasAnswer()) {
                String linkId = guideLinkId.get();
                if (instrument.items().containsKey(linkId)) {
                    readAnswer(instrument.items().get(linkId), item, into);
                } else if (instrument.isReportedItem(linkId)) {
                    readReported(linkId, item, into);
                }
            }
            for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
                collect(instrument, answer.getItem(), into);
            }
            collect(instrument, item.getItem(), into);
        }
    }

    private void readAnswer(ScoredItem scored, QuestionnaireResponseItemComponent item, Collected into) {
        String sent = item.getLinkId();
        if (item.getAnswer().size() > 1 || into.answers.containsKey(scored.linkId())) {
            into.errors.add(ScoringIssue.of(Kind.DUPLICATE_ANSWER, sent,
                    "item " + sent + ": answered more than once; a scored item takes exactly one answer"));
            return;
        }
        Type value = item.getAnswerFirstRep().getValue();
        if (value instanceof Coding coding) {
            OptionalInt weight = scored.weightOf(coding);
            if (weight.isEmpty()) {
                into.errors.add(ScoringIssue.of(Kind.UNKNOWN_ANSWER, sent, "item " + sent + ": answer "
                        + coding.getSystem() + "|" + coding.getCode() + " is not one of its answers ("
                        + scored.options().stream().map(o -> o.coding().getCode()).collect(Collectors.joining(", "))
                        + ")"));
                return;
            }
            into.answers.put(scored.linkId(), new AnsweredItem(sent, weight.getAsInt()));
        } else if (value instanceof IntegerType integer && integer.getValue() != null) {
            int answered = integer.getValue();
            if (!scored.hasWeight(answered)) {
                into.errors.add(new ScoringIssue(Kind.ANSWER_OUT_OF_RANGE, sent, "item " + sent + ": answer "
                        + answered + " is outside its range " + scored.minWeight() + ".." + scored.maxWeight(),
                        answered, null));
                return;
            }
            into.answers.put(scored.linkId(), new AnsweredItem(sent, answered));
        } else {
            into.errors.add(ScoringIssue.of(Kind.UNSUPPORTED_ANSWER_TYPE, sent, "item " + sent
                    + ": answer must be a valueCoding or a valueInteger, not " + (value == null ? "empty" : value.fhirType())));
        }
    }

    private void readReported(String linkId, QuestionnaireResponseItemComponent item, Collected into) {
        String sent = item.getLinkId();
        Type value = item.getAnswerFirstRep().getValue();
        Integer number = null;
        if (value instanceof IntegerType integer) {
            number = integer.getValue();
        } else if (value instanceof DecimalType decimal && decimal.getValue() != null) {
            try {
                number = decimal.getValue().intValueExact();
            } catch (ArithmeticException e) {
                number = null;
            }
        }
        if (number == null || item.getAnswer().size() > 1 || into.reported.containsKey(linkId)) {
            into.errors.add(ScoringIssue.of(Kind.UNSUPPORTED_ANSWER_TYPE, sent,
                    "item " + sent + ": a total is sent as one whole-number valueInteger"));
            return;
        }
        into.reported.put(linkId, new Reported(sent, number));
    }

    private static ScoreResult computeScore(
            ScoreDefinition definition, Map<String, AnsweredItem> answers, Integer reportedValue) {
        int sum = 0;
        int answeredTerms = 0;
        int missingTerms = 0;
        List<String> missing = new ArrayList<>();
        for (ScoreTerm term : definition.terms()) {
            List<Integer> weights = term.linkIds().stream()
                    .filter(answers::containsKey)
                    .map(id -> answers.get(id).weight())
                    .toList();
            if (weights.size() >= term.minAnswered()) {
                // a plain item has one weight; a domain scores its highest answered item
                sum += weights.stream().mapToInt(Integer::intValue).max().orElseThrow();
                answeredTerms++;
            } else {
                missingTerms++;
                term.linkIds().stream().filter(id -> !answers.containsKey(id)).forEach(missing::add);
            }
        }
        Integer value;
        boolean prorated = false;
        if (missingTerms == 0) {
            value = sum;
        } else if (definition.prorating().allows(missingTerms, answeredTerms)) {
            value = BigDecimal.valueOf(sum)
                    .multiply(BigDecimal.valueOf(definition.terms().size()))
                    .divide(BigDecimal.valueOf(answeredTerms), 0, RoundingMode.HALF_UP)
                    .intValueExact();
            prorated = true;
        } else {
            value = null;
        }
        SeverityBand band = value == null ? null : definition.bandFor(value).orElse(null);
        return new ScoreResult(definition, value, prorated, missing, band, reportedValue);
    }

    private static void checkReportedTotal(ScoreResult result, Reported reported, Collected collected) {
        if (reported == null) {
            return;
        }
        String sent = reported.responseLinkId();
        if (!result.isComputed()) {
            collected.errors.add(new ScoringIssue(Kind.TOTAL_NOT_VERIFIABLE, sent, "item " + sent
                    + ": the response reports a total of " + reported.value() + " that cannot be checked, because items "
                    + String.join(", ", result.missingLinkIds()) + " are unanswered", reported.value(), null));
        } else if (result.value().intValue() != reported.value()) {
            collected.errors.add(new ScoringIssue(Kind.TOTAL_MISMATCH, sent, "item " + sent
                    + ": the response reports a total of " + reported.value() + " but its answers add up to "
                    + result.value(), reported.value(), result.value()));
        }
    }
}
