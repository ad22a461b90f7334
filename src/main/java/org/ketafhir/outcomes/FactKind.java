package org.ketafhir.outcomes;

/** What a row of the outcome index records. The names are stored in the index table: never rename one. */
enum FactKind {
    /** A total score of an instrument: code = score code (system|code), value1 = the score. */
    SCORE,
    /** The suicidal-ideation item of a response or an Observation: value1 = the item's weight. */
    SUICIDAL_IDEATION,
    /** A dosing session: code = route (system|code), value1 = dose in mg, value2 = mg/kg, status, course. */
    SESSION,
    /** A psychotherapy session attended: course = the treatment plan it is based on. */
    PSYCHOTHERAPY,
    /** A blood-pressure reading: value1 = systolic, value2 = diastolic (mm[Hg]), ref = the session it belongs to. */
    BLOOD_PRESSURE,
    /** A sedation score (MOAA/S): value1 = the score, ref = the session. */
    SEDATION,
    /** An adverse event: code = its event code, ref = the suspected session. */
    ADVERSE_EVENT,
    /** A safety signal (Flag): code = the signal code. */
    SAFETY_SIGNAL,
    /** A condition of the patient: code = system|code, one row per coding. */
    CONDITION,
    /** A treatment plan: course = its id, at / end = its period. */
    PLAN
}
