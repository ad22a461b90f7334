package org.ketafhir.outcomes;

import java.time.Instant;

/**
 * One row of the outcome index: the part of a stored resource an outcome summary needs, in a form that is cheap
 * to read for one patient or for a whole cohort. Rows are derived from FHIR resources and can be rebuilt from them.
 *
 * @param kind      what the row records
 * @param patientId the patient's logical id
 * @param courseId  the treatment plan (CarePlan id) it belongs to, when known
 * @param code      a token {@code system|code} whose meaning depends on the kind
 * @param at        when it happened (effective time, session start)
 * @param end       when it ended (session end, plan end), if known
 * @param value1    the main number (score, dose in mg, systolic)
 * @param value2    a second number (mg/kg, diastolic)
 * @param ref       a related resource id (the session a reading belongs to)
 * @param status    the resource's status where it matters (a session stopped early); for a score, {@link #DATE_ONLY}
 *                  when it is timed by a date only
 * @param source    the resource the row came from ({@code Observation/123}); set when read back from the index
 */
record OutcomeFact(
        FactKind kind,
        String patientId,
        String courseId,
        String code,
        Instant at,
        Instant end,
        Double value1,
        Double value2,
        String ref,
        String status,
        String source) {

    /** The status of a score timed by a date only: {@code at} is then the start of that day (UTC). */
    static final String DATE_ONLY = "date";

    static OutcomeFact of(FactKind kind, String patientId, Instant at) {
        return new OutcomeFact(kind, patientId, null, null, at, null, null, null, null, null, null);
    }

    OutcomeFact withCourse(String course) {
        return new OutcomeFact(kind, patientId, course, code, at, end, value1, value2, ref, status, source);
    }

    OutcomeFact withCode(String token) {
        return new OutcomeFact(kind, patientId, courseId, token, at, end, value1, value2, ref, status, source);
    }

    OutcomeFact withEnd(Instant until) {
        return new OutcomeFact(kind, patientId, courseId, code, at, until, value1, value2, ref, status, source);
    }

    OutcomeFact withValues(Double first, Double second) {
        return new OutcomeFact(kind, patientId, courseId, code, at, end, first, second, ref, status, source);
    }

    OutcomeFact withRef(String id) {
        return new OutcomeFact(kind, patientId, courseId, code, at, end, value1, value2, id, status, source);
    }

    OutcomeFact withStatus(String code) {
        return new OutcomeFact(kind, patientId, courseId, this.code, at, end, value1, value2, ref, code, source);
    }
}
