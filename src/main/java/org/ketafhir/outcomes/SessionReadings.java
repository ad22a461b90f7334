package org.ketafhir.outcomes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketafhir.dosing.ReadingWindows;
import org.ketafhir.outcomes.PatientOutcome.Session;

/**
 * Which readings belong to which dosing session: a reading whose {@code partOf} names a session in scope belongs to
 * it; any other reading belongs to the first session whose window (pre-dose through the end of observation, as the
 * dosing rules read them, {@link ReadingWindows}) contains its time; a session's end is its recorded end of dosing. A reading in no session's window is not a session reading.
 */
final class SessionReadings {

    private SessionReadings() {}

    /** @return session id to its readings, in the order given */
    static Map<String, List<OutcomeFact>> bySession(List<Session> sessions, List<OutcomeFact> readings, ReadingWindows windows) {
        Map<String, List<OutcomeFact>> bySession = new LinkedHashMap<>();
        Map<String, Session> byId = new LinkedHashMap<>();
        sessions.forEach(s -> byId.put(s.id(), s));
        for (OutcomeFact reading : readings) {
            Session owner = reading.ref() != null ? byId.get(reading.ref()) : null;
            if (owner == null && reading.at() != null) {
                owner = sessions.stream()
                        .filter(s -> windows.isPreDose(s.at(), reading.at())
                                || windows.isPostDose(s.at(), s.end() == null ? s.at() : s.end(), reading.at()))
                        .findFirst().orElse(null);
            }
            if (owner != null) {
                bySession.computeIfAbsent(owner.id(), id -> new ArrayList<>()).add(reading);
            }
        }
        return bySession;
    }
}
