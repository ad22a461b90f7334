package org.ketafhir.scoring;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

import org.hl7.fhir.r4.model.Coding;

/**
 * A Questionnaire item that carries answer weights.
 *
 * @param linkId the item's linkId in the guide's Questionnaire
 * @param codes the codes of the item's {@code code} codings (LOINC item code, or a local code)
 * @param options the answers and their weights
 */
public record ScoredItem(String linkId, Set<String> codes, List<AnswerOption> options) {

    static final String LOINC = "http://loinc.org";

    public ScoredItem {
        codes = Set.copyOf(codes);
        options = List.copyOf(options);
    }

    public int minWeight() {
        return options.stream().mapToInt(AnswerOption::weight).min().orElse(0);
    }

    public int maxWeight() {
        return options.stream().mapToInt(AnswerOption::weight).max().orElse(0);
    }

    public boolean hasWeight(int weight) {
        return options.stream().anyMatch(o -> o.weight() == weight);
    }

    /**
     * The weight of an answered coding: matched by system and code, or by code alone when the coding has no
     * system and the item's answer is a LOINC answer code (LA...), which clients often send bare.
     */
    public OptionalInt weightOf(Coding answer) {
        if (answer == null || !answer.hasCode()) {
            return OptionalInt.empty();
        }
        for (AnswerOption option : options) {
            Coding known = option.coding();
            boolean sameCode = Objects.equals(known.getCode(), answer.getCode());
            if (!sameCode) {
                continue;
            }
            if (answer.hasSystem() ? Objects.equals(known.getSystem(), answer.getSystem()) : isLoincAnswerCode(known)) {
                return OptionalInt.of(option.weight());
            }
        }
        return OptionalInt.empty();
    }

    private static boolean isLoincAnswerCode(Coding coding) {
        return LOINC.equals(coding.getSystem()) && coding.getCode().startsWith("LA");
    }
}
