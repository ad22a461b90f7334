package org.ketafhir.security;

import java.time.Instant;
import java.util.List;

/**
 * A search of the audit log: every criterion must hold (AND), each matching any of its values (OR), as FHIR search
 * combines repeated parameters and comma-separated values.
 *
 * @param from        recorded at or after, or null
 * @param to          recorded at or before, or null
 * @param newestFirst order by time recorded, newest first ({@code _sort=-date}) or oldest first
 */
record AuditQuery(List<AnyOf> criteria, Instant from, Instant to, boolean newestFirst) {

    record AnyOf(AuditValues.Kind kind, List<String> values) {
        AnyOf {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a criterion needs at least one value");
            }
        }
    }

    AuditQuery {
        criteria = List.copyOf(criteria);
    }
}
