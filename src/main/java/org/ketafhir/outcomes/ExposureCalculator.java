package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketafhir.outcomes.PatientOutcome.Exposure;
import org.ketafhir.outcomes.PatientOutcome.Session;

/** Dosing exposure of the sessions in scope: sessions by route, cumulative and mean dose, the end of induction. */
final class ExposureCalculator {

    private final OutcomeRules rules;

    ExposureCalculator(OutcomeRules rules) {
        this.rules = rules;
    }

    Exposure of(List<Session> sessions) {
        Map<String, Integer> byRoute = new LinkedHashMap<>();
        BigDecimal mg = BigDecimal.ZERO;
        BigDecimal perKg = BigDecimal.ZERO;
        int withMg = 0;
        int withPerKg = 0;
        for (Session session : sessions) {
            byRoute.merge(session.route() == null ? "unknown" : session.route(), 1, Integer::sum);
            if (session.doseMg() != null) {
                mg = mg.add(BigDecimal.valueOf(session.doseMg()));
                withMg++;
            }
            if (session.mgPerKg() != null) {
                perKg = perKg.add(BigDecimal.valueOf(session.mgPerKg()));
                withPerKg++;
            }
        }
        Instant endOfInduction = null;
        int inInduction = 0;
        if (!sessions.isEmpty()) {
            Instant inductionEnd = sessions.get(0).at().plus(Duration.ofDays(rules.inductionDays()));
            for (Session session : sessions) {
                if (session.at().isBefore(inductionEnd)) {
                    inInduction++;
                    endOfInduction = session.at();
                }
            }
        }
        // Only a completed induction has an end: durability and end-of-induction rates are anchored on it.
        boolean completed = inInduction >= rules.inductionSessions();
        return new Exposure(sessions, byRoute,
                withMg == 0 ? null : mg.stripTrailingZeros(),
                withPerKg == 0 ? null : perKg.divide(BigDecimal.valueOf(withPerKg), 3, RoundingMode.HALF_UP).stripTrailingZeros(),
                completed,
                completed ? endOfInduction : null);
    }
}
