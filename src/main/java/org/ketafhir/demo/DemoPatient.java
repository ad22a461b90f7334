package org.ketafhir.demo;

/**
 * What the generator decided for one synthetic patient, before any resource is built: kept apart so tests can check
 * the clinic's mix (conditions, routes, psychotherapy, trajectories) without parsing bundles.
 */
record DemoPatient(int number, Diagnosis diagnosis, Route route, boolean psychotherapy, Trajectory trajectory,
        int followUpDays) {

    /** The conditions in scope; each names the instrument that follows it beside the PHQ-9. */
    enum Diagnosis {
        TREATMENT_RESISTANT_DEPRESSION, BIPOLAR_DEPRESSION, PTSD, OCD, GAD
    }

    enum Route {
        IV, IM, ESKETAMINE, ORAL
    }

    /**
     * The course of the scores. Responder: at least 50 % down from baseline, not below remission; remitter: PHQ-9
     * below 5; non-responder: less than 50 % down throughout; relapse: responds, then loses the response (two or more
     * assessments back above half the baseline).
     */
    enum Trajectory {
        RESPONDER, REMITTER, NON_RESPONDER, RELAPSE
    }
}
