package org.ketafhir.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPath.IParsedExpression;

/**
 * Evaluates the instruments' safety rules with HAPI's FHIRPath engine. Expressions are parsed once, when the
 * processor is built, so a broken rule stops start-up rather than a clinic's request.
 */
final class SafetyRuleEvaluator {

    private final IFhirPath fhirPath;
    private final Map<String, IParsedExpression> parsed = new HashMap<>();

    SafetyRuleEvaluator(FhirContext fhirContext, InstrumentCatalog catalog) {
        this.fhirPath = fhirContext.newFhirPath();
        for (Instrument instrument : catalog.instruments()) {
            for (SafetyRule rule : instrument.safetyRules()) {
                parsed.computeIfAbsent(rule.expression(), expression -> {
                    try {
                        return fhirPath.parse(expression);
                    } catch (Exception e) {
                        throw new InstrumentDefinitionException(instrument.url() + ": safety rule "
                                + rule.signal().getCode() + " has an invalid FHIRPath expression: " + e.getMessage(), e);
                    }
                });
            }
        }
    }

    SafetyResult evaluate(Instrument instrument, Map<String, AnsweredItem> answers) {
        Set<String> unanswered = new LinkedHashSet<>();
        instrument.safetyRules().forEach(rule -> rule.evidenceLinkIds().stream()
                .filter(id -> !answers.containsKey(id))
                .forEach(unanswered::add));
        if (instrument.safetyRules().isEmpty()) {
            return new SafetyResult(SignalLevel.NONE, null, List.of(), List.of());
        }
        QuestionnaireResponse normalised = normalise(answers);
        for (SafetyRule rule : instrument.safetyRules()) {
            if (holds(instrument, rule, normalised)) {
                List<SafetyResult.Evidence> evidence = new ArrayList<>();
                for (String linkId : rule.evidenceLinkIds()) {
                    AnsweredItem answer = answers.get(linkId);
                    if (answer != null) {
                        evidence.add(new SafetyResult.Evidence(linkId, answer.responseLinkId(), answer.weight()));
                    }
                }
                return new SafetyResult(rule.level(), rule, evidence, List.copyOf(unanswered));
            }
        }
        return new SafetyResult(SignalLevel.NONE, null, List.of(), List.copyOf(unanswered));
    }

    /**
     * The response the expressions see: one flat item per answered weighted item, linkId = the guide's linkId,
     * one valueInteger answer = the answer's weight. Rules therefore read the same whatever linkId style or
     * answer type the client used.
     */
    static QuestionnaireResponse normalise(Map<String, AnsweredItem> answers) {
        QuestionnaireResponse normalised = new QuestionnaireResponse();
        answers.forEach((linkId, answer) ->
                normalised.addItem().setLinkId(linkId).addAnswer().setValue(new IntegerType(answer.weight())));
        return normalised;
    }

    private boolean holds(Instrument instrument, SafetyRule rule, QuestionnaireResponse normalised) {
        List<BooleanType> result;
        try {
            // HAPI does not promise that one FHIRPath engine may evaluate on several threads at once
            synchronized (fhirPath) {
                result = fhirPath.evaluate(normalised, parsed.get(rule.expression()), BooleanType.class);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException(instrument.url() + ": safety rule " + rule.signal().getCode()
                    + " did not evaluate to a boolean: " + e.getMessage(), e);
        }
        return result.size() == 1 && Boolean.TRUE.equals(result.get(0).getValue());
    }

    /** A weighted item the response answered. */
    record AnsweredItem(String responseLinkId, int weight) {}
}
