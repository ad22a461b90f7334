package org.ketafhir.outcomes;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Measure;
import org.ketafhir.ig.GuidePackage;

/**
 * The months after the first session at which the cohort summary reports response and remission: those the guide's
 * Measure {@code outcome-summary-cohort} names a group for ({@code response-<n>-months}), so the report and the
 * Measure it claims to follow cannot disagree.
 */
final class CohortMonths {

    private static final String MEASURE = "outcome-summary-cohort";
    private static final Pattern GROUP = Pattern.compile("response-(\\d+)-months");

    private CohortMonths() {}

    /** @throws IllegalStateException when the Measure is missing or names no monthly group: the server must not start */
    static List<Integer> fromGuide(GuidePackage guide) {
        return of(guide.resource(Measure.class, MEASURE));
    }

    static List<Integer> of(Measure measure) {
        List<Integer> months = measure.getGroup().stream()
                .flatMap(group -> group.getCode().getCoding().stream())
                .map(coding -> GROUP.matcher(coding.getCode() == null ? "" : coding.getCode()))
                .filter(Matcher::matches)
                .map(matcher -> Integer.valueOf(matcher.group(1)))
                .distinct()
                .sorted()
                .toList();
        if (months.isEmpty()) {
            throw new IllegalStateException("The guide's Measure " + measure.getUrl()
                    + " names no response-<n>-months group");
        }
        return months;
    }
}
