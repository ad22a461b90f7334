package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.ketafhir.outcomes.PatientOutcome.InstrumentOutcome;
import org.ketafhir.outcomes.PatientOutcome.Point;
import org.ketafhir.outcomes.PatientOutcome.SafetyEvent;
import org.ketafhir.outcomes.PatientOutcome.Session;

/**
 * Writes a {@link PatientOutcome} as the Parameters resource that OperationDefinition outcome-summary documents.
 * A value that is not known is left out rather than written empty (a Parameters part needs a value).
 */
final class OutcomeParameters {

    private static final String UCUM = "http://unitsofmeasure.org";

    private final OutcomeCodes codes;

    OutcomeParameters(OutcomeCodes codes) {
        this.codes = codes;
    }

    Parameters write(PatientOutcome outcome, OutcomeRules rules, boolean series) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("subject").setValue(new Reference("Patient/" + outcome.patientId()));
        if (outcome.courseId() != null) {
            parameters.addParameter().setName("course").setValue(new Reference("CarePlan/" + outcome.courseId()));
        }
        if (outcome.periodStart() != null || outcome.periodEnd() != null) {
            Period period = new Period();
            if (outcome.periodStart() != null) {
                period.setStartElement(dateTime(outcome.periodStart()));
            }
            if (outcome.periodEnd() != null) {
                period.setEndElement(dateTime(outcome.periodEnd()));
            }
            parameters.addParameter().setName("period").setValue(period);
        }
        for (InstrumentOutcome instrument : outcome.instruments()) {
            instrument(parameters.addParameter().setName("instrument"), instrument, series);
        }
        suicidalIdeation(parameters.addParameter().setName("suicidalIdeation"), outcome.suicidalIdeation(), series);
        exposure(parameters.addParameter().setName("exposure"), outcome.exposure(), series);
        parameters.addParameter().setName("psychotherapySessions").setValue(new IntegerType(outcome.psychotherapySessions().size()));
        if (series) {
            outcome.psychotherapySessions().forEach(at ->
                    parameters.addParameter().setName("psychotherapySession").setValue(dateTime(at)));
        }
        safety(parameters.addParameter().setName("safety"), outcome.safety(), series);
        ParametersParameterComponent used = parameters.addParameter().setName("rules");
        part(used, "baselineWindowDays", new IntegerType(rules.baselineWindowDays()));
        part(used, "inductionSessions", new IntegerType(rules.inductionSessions()));
        part(used, "inductionDays", new IntegerType(rules.inductionDays()));
        part(used, "lossOfResponseConsecutive", new IntegerType(rules.lossOfResponseConsecutive()));
        part(used, "timepointToleranceDays", new IntegerType(rules.timepointToleranceDays()));
        rules.rapidResponseHours().forEach(h -> part(used, "rapidResponseHours", new IntegerType(h)));
        part(used, "rapidResponseSessions", new IntegerType(rules.rapidResponseSessions()));
        return parameters;
    }

    private void instrument(ParametersParameterComponent part, InstrumentOutcome o, boolean series) {
        OutcomeInstrument instrument = o.instrument();
        part(part, "questionnaire", new CanonicalType(instrument.questionnaire()));
        part(part, "code", instrument.code().copy());
        part(part, "name", new StringType(instrument.title()));
        part(part, "evaluable", new BooleanType(o.evaluable()));
        if (o.baseline() != null) {
            part(part, "baseline", new IntegerType(o.baseline().value()));
            part(part, "baselineDate", dateTime(o.baseline().at()));
            instrument.bandFor(o.baseline().value()).ifPresent(b -> part(part, "baselineBand", b.interpretation().copy()));
        }
        part(part, "latest", new IntegerType(o.latest().value()));
        part(part, "latestDate", dateTime(o.latest().at()));
        instrument.bandFor(o.latest().value()).ifPresent(b -> part(part, "latestBand", b.interpretation().copy()));
        integer(part, "absoluteChange", o.change().absolute());
        if (o.change().percent() != null) {
            part(part, "percentChange", new DecimalType(o.change().percent()));
        }
        bool(part, "response", o.response().met());
        bool(part, "remissionEvaluable", o.remission().evaluable());
        bool(part, "remission", o.remission().met());
        bool(part, "meaningfulChange", o.change().meaningful());
        bool(part, "worsening", o.change().worsening());
        integer(part, "daysToFirstResponse", o.response().daysToFirst());
        integer(part, "sessionsToFirstResponse", o.response().sessionsToFirst());
        integer(part, "daysToFirstRemission", o.remission().daysToFirst());
        integer(part, "sessionsToFirstRemission", o.remission().sessionsToFirst());
        for (Map.Entry<Integer, Boolean> held : o.response().heldAtWeek().entrySet()) {
            bool(part, "responseHeldWeek" + held.getKey(), held.getValue());
        }
        bool(part, "lossOfResponse", o.response().lost());
        if (o.response().lostAt() != null) {
            part(part, "lossOfResponseDate", dateTime(o.response().lostAt()));
        }
        if (o.response().threshold() != null) {
            part(part, "responseThreshold", new DecimalType(o.response().threshold()));
        }
        integer(part, "remissionThreshold", o.remission().threshold());
        if (o.remission().threshold() != null) {
            integer(part, "remissionBaselineMin", instrument.remissionBaselineMin());
        }
        for (PatientOutcome.RapidScore rapid : o.rapidResponse()) {
            ParametersParameterComponent p = part.addPart().setName("rapidResponse");
            part(p, "session", new IntegerType(rapid.session()));
            part(p, "sessionDate", dateTime(rapid.sessionStart()));
            part(p, "windowHours", new IntegerType(rapid.windowHours()));
            if (rapid.point() != null) {
                part(p, "value", new IntegerType(rapid.point().value()));
                part(p, "date", dateTime(rapid.point().at()));
                if (rapid.point().dateOnly()) {
                    part(p, "dateOnly", new BooleanType(true));
                }
            }
            bool(p, "response", rapid.response());
            bool(p, "remission", rapid.remission());
        }
        part(part, "assessments", new IntegerType(o.points().size()));
        if (series) {
            for (Point point : o.points()) {
                ParametersParameterComponent p = part.addPart().setName("point");
                part(p, "date", dateTime(point.at()));
                part(p, "value", new IntegerType(point.value()));
                instrument.bandFor(point.value()).ifPresent(b -> part(p, "band", b.interpretation().copy()));
            }
        }
    }

    private void suicidalIdeation(ParametersParameterComponent part, PatientOutcome.SuicidalIdeation si, boolean series) {
        bool(part, "baselinePositive", si.baselinePositive());
        bool(part, "latestPositive", si.latestPositive());
        bool(part, "resolved", si.resolved());
        part(part, "positiveScreens", new IntegerType(si.positiveScreens()));
        if (series) {
            for (Point screen : si.screens()) {
                ParametersParameterComponent p = part.addPart().setName("screen");
                part(p, "date", dateTime(screen.at()));
                part(p, "value", new IntegerType(screen.value()));
            }
        }
    }

    private void exposure(ParametersParameterComponent part, PatientOutcome.Exposure exposure, boolean series) {
        part(part, "sessions", new IntegerType(exposure.sessions().size()));
        exposure.sessionsByRoute().forEach((route, count) -> {
            ParametersParameterComponent p = part.addPart().setName("route");
            part(p, "code", coding(route));
            part(p, "sessions", new IntegerType(count));
        });
        if (exposure.cumulativeMg() != null) {
            part(part, "cumulativeDose", quantity(exposure.cumulativeMg(), "mg"));
        }
        if (exposure.meanMgPerKg() != null) {
            part(part, "meanDosePerKg", quantity(exposure.meanMgPerKg(), "mg/kg"));
        }
        part(part, "inductionCompleted", new BooleanType(exposure.inductionCompleted()));
        if (exposure.endOfInduction() != null) {
            part(part, "endOfInduction", dateTime(exposure.endOfInduction()));
        }
        if (exposure.first() != null) {
            part(part, "firstSession", dateTime(exposure.first()));
            part(part, "lastSession", dateTime(exposure.last()));
        }
        if (series) {
            for (Session session : exposure.sessions()) {
                ParametersParameterComponent p = part.addPart().setName("session");
                part(p, "date", dateTime(session.at()));
                if (session.route() != null) {
                    part(p, "route", coding(session.route()));
                }
                if (session.doseMg() != null) {
                    part(p, "dose", quantity(BigDecimal.valueOf(session.doseMg()).stripTrailingZeros(), "mg"));
                }
                if (session.status() != null) {
                    part(p, "status", new CodeType(session.status()));
                }
            }
        }
    }

    private void safety(ParametersParameterComponent part, PatientOutcome.Safety safety, boolean series) {
        if (safety.peakSystolic() != null) {
            part(part, "peakSystolic", quantity(BigDecimal.valueOf(safety.peakSystolic()).stripTrailingZeros(), "mm[Hg]"));
        }
        if (safety.peakDiastolic() != null) {
            part(part, "peakDiastolic", quantity(BigDecimal.valueOf(safety.peakDiastolic()).stripTrailingZeros(), "mm[Hg]"));
        }
        if (safety.peakSystolicRise() != null) {
            part(part, "peakSystolicRise", quantity(BigDecimal.valueOf(safety.peakSystolicRise()).stripTrailingZeros(), "mm[Hg]"));
        }
        integer(part, "peakCadss", safety.peakDissociation());
        integer(part, "lowestMoaas", safety.lowestSedation());
        part(part, "adverseEvents", new IntegerType(safety.adverseEvents()));
        part(part, "sessionsStoppedEarly", new IntegerType(safety.sessionsStoppedEarly()));
        part(part, "safetySignals", new IntegerType(safety.safetySignals()));
        if (series) {
            for (SafetyEvent event : safety.events()) {
                ParametersParameterComponent p = part.addPart().setName("event");
                part(p, "date", dateTime(event.at()));
                part(p, "kind", new CodeType(event.kind()));
                part(p, "text", new StringType(codes.describe(event.code())));
            }
        }
    }

    private Coding coding(String token) {
        int bar = token.indexOf('|');
        if (bar < 0) {
            return new Coding().setCode(token);
        }
        Coding coding = new Coding(token.substring(0, bar), token.substring(bar + 1), null);
        String display = codes.describe(token);
        if (!display.equals(token)) {
            coding.setDisplay(display);
        }
        return coding;
    }

    static DateTimeType dateTime(Instant instant) {
        DateTimeType value = new DateTimeType(Date.from(instant));
        value.setTimeZoneZulu(true);
        return value;
    }

    private static Quantity quantity(BigDecimal value, String unit) {
        return new Quantity().setValue(value).setUnit(unit).setSystem(UCUM).setCode(unit);
    }

    private static void part(ParametersParameterComponent parent, String name, Type value) {
        parent.addPart().setName(name).setValue(value);
    }

    private static void integer(ParametersParameterComponent parent, String name, Integer value) {
        if (value != null) {
            part(parent, name, new IntegerType(value));
        }
    }

    private static void bool(ParametersParameterComponent parent, String name, Boolean value) {
        if (value != null) {
            part(parent, name, new BooleanType(value));
        }
    }
}
