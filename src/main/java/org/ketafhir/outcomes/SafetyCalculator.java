package org.ketafhir.outcomes;

import static org.ketafhir.outcomes.ScoreSeries.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketafhir.dosing.ReadingWindows;
import org.ketafhir.outcomes.PatientOutcome.Safety;
import org.ketafhir.outcomes.PatientOutcome.SafetyEvent;
import org.ketafhir.outcomes.PatientOutcome.Session;

/** Safety over the course: blood-pressure peaks and rise, dissociation, sedation, adverse events, signals, stops. */
final class SafetyCalculator {

    private final OutcomeRules rules;

    SafetyCalculator(OutcomeRules rules) {
        this.rules = rules;
    }

    Safety of(List<OutcomeFact> facts, List<Session> sessions, Instant start, Instant end) {
        Map<String, Session> byId = new LinkedHashMap<>();
        sessions.forEach(s -> byId.put(s.id(), s));
        Double peakSystolic = null;
        Double peakDiastolic = null;
        Double peakRise = null;
        // A reading belongs to a session by partOf or, as the dosing rules read them, by the session's time windows.
        ReadingWindows windows = rules.sessionWindows();
        Map<String, List<OutcomeFact>> readings = SessionReadings.bySession(sessions,
                facts.stream().filter(f -> f.kind() == FactKind.BLOOD_PRESSURE).toList(), windows);
        for (Map.Entry<String, List<OutcomeFact>> entry : readings.entrySet()) {
            Session session = byId.get(entry.getKey());
            OutcomeFact pre = null;
            Double postPeak = null;
            for (OutcomeFact reading : entry.getValue()) {
                peakSystolic = max(peakSystolic, reading.value1());
                peakDiastolic = max(peakDiastolic, reading.value2());
                if (windows.isPreDose(session.at(), reading.at())) {
                    pre = pre == null || reading.at().isAfter(pre.at()) ? reading : pre;
                } else if (reading.at().isAfter(session.at())) {
                    postPeak = max(postPeak, reading.value1());
                }
            }
            if (pre != null && pre.value1() != null && postPeak != null) {
                peakRise = max(peakRise, postPeak - pre.value1());
            }
        }
        Integer peakDissociation = facts.stream()
                .filter(f -> f.kind() == FactKind.SCORE && rules.dissociationScore().equals(f.code())
                        && within(f.at(), start, end) && f.value1() != null)
                .map(f -> (int) Math.round(f.value1())).max(Integer::compare).orElse(null);
        Integer lowestSedation = facts.stream()
                .filter(f -> f.kind() == FactKind.SEDATION && within(f.at(), start, end) && f.value1() != null)
                .map(f -> (int) Math.round(f.value1())).min(Integer::compare).orElse(null);
        List<SafetyEvent> events = new ArrayList<>();
        int adverse = 0;
        int signals = 0;
        for (OutcomeFact fact : facts) {
            boolean inScope = fact.ref() != null ? byId.containsKey(fact.ref()) : within(fact.at(), start, end);
            if (fact.kind() == FactKind.ADVERSE_EVENT && inScope) {
                adverse++;
                events.add(new SafetyEvent(fact.at(), "adverse-event", fact.code(), fact.source()));
            } else if (fact.kind() == FactKind.SAFETY_SIGNAL && within(fact.at(), start, end)) {
                signals++;
                events.add(new SafetyEvent(fact.at(), "safety-signal", fact.code(), fact.source()));
            }
        }
        int stopped = 0;
        for (Session session : sessions) {
            if ("stopped".equals(session.status())) {
                stopped++;
                events.add(new SafetyEvent(session.at(), "stopped-early", session.route(), "MedicationAdministration/" + session.id()));
            }
        }
        events.sort(Comparator.comparing(SafetyEvent::at));
        return new Safety(peakSystolic, peakDiastolic, peakRise, peakDissociation, lowestSedation,
                adverse, stopped, signals, events);
    }

    private static Double max(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }
}
