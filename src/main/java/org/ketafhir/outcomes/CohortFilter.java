package org.ketafhir.outcomes;

import java.time.Instant;
import java.util.Set;

/**
 * Which patients a cohort summary counts. Empty sets and nulls do not filter.
 *
 * @param conditions        condition codes (system|code); a patient with any of them matches
 * @param routes            route codes; a patient with a session by any of them matches
 * @param firstSessionFrom  the first session on or after this instant
 * @param firstSessionTo    the first session on or before this instant
 * @param psychotherapy     true: at least one psychotherapy session; false: none
 * @param baselineSeverity  band codes (system|code) of the baseline score
 * @param members           patient ids of a Group, or null for every patient
 */
record CohortFilter(
        Set<String> conditions,
        Set<String> routes,
        Instant firstSessionFrom,
        Instant firstSessionTo,
        Boolean psychotherapy,
        Set<String> baselineSeverity,
        Set<String> members) {

    public CohortFilter {
        conditions = Set.copyOf(conditions);
        routes = Set.copyOf(routes);
        baselineSeverity = Set.copyOf(baselineSeverity);
        members = members == null ? null : Set.copyOf(members);
    }

    public static CohortFilter none() {
        return new CohortFilter(Set.of(), Set.of(), null, null, null, Set.of(), null);
    }
}
