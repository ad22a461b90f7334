package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.ketafhir.dosing.EffectiveTimes;
import org.ketafhir.dosing.Masses;
import org.ketafhir.dosing.MedicationCodes;
import org.ketafhir.dosing.ReadingCodes;
import org.ketafhir.scoring.Instrument;
import org.ketafhir.scoring.ScoredStatuses;

/**
 * Reads from a stored resource the facts an outcome summary needs (see {@link FactKind}). Plain FHIR in, plain
 * rows out: a score Observation sent by another system counts as much as one this server derived, and a resource
 * that carries nothing of interest (or is entered in error) yields no rows.
 */
final class OutcomeFactExtractor {

    static final String TREATMENT_PLAN_EXTENSION = "http://ketafhir.org/fhir/StructureDefinition/treatment-plan";
    static final String DOSE_PER_KG_EXTENSION = "http://ketafhir.org/fhir/StructureDefinition/dose-per-kg";

    /** The resource types that can carry facts: the index listens to writes of these only. */
    static final Set<String> TYPES = Set.of("Observation", "QuestionnaireResponse", "MedicationAdministration",
            "Procedure", "Encounter", "AdverseEvent", "Flag", "Condition", "CarePlan");

    private static final Set<String> COUNTED_OBSERVATION_STATUSES = Set.of("final", "amended", "corrected");

    private final OutcomeInstruments instruments;
    private final MedicationCodes medications;
    private final OutcomeCodes codes;
    private final ScoredStatuses scoredStatuses;

    /** @param scoredStatuses the statuses of the responses whose answers count, as scoring has them */
    OutcomeFactExtractor(OutcomeInstruments instruments, MedicationCodes medications, OutcomeCodes codes,
            ScoredStatuses scoredStatuses) {
        this.instruments = instruments;
        this.medications = medications;
        this.codes = codes;
        this.scoredStatuses = scoredStatuses;
    }

    List<OutcomeFact> extract(IBaseResource resource) {
        List<OutcomeFact> facts = new ArrayList<>();
        if (resource instanceof Observation observation) {
            observation(observation, facts);
        } else if (resource instanceof QuestionnaireResponse response) {
            questionnaireResponse(response, facts);
        } else if (resource instanceof MedicationAdministration session) {
            session(session, facts);
        } else if (resource instanceof Procedure procedure) {
            procedure(procedure, facts);
        } else if (resource instanceof Encounter encounter) {
            encounter(encounter, facts);
        } else if (resource instanceof AdverseEvent event) {
            adverseEvent(event, facts);
        } else if (resource instanceof Flag flag) {
            flag(flag, facts);
        } else if (resource instanceof Condition condition) {
            condition(condition, facts);
        } else if (resource instanceof CarePlan plan) {
            plan(plan, facts);
        }
        return facts;
    }

    private void observation(Observation observation, List<OutcomeFact> facts) {
        String patient = patientId(observation.getSubject());
        Instant at = instant(observation.getEffective());
        if (patient == null || at == null || !COUNTED_OBSERVATION_STATUSES.contains(observation.getStatus().toCode())) {
            return;
        }
        String session = observation.getPartOf().stream().map(OutcomeFactExtractor::idOf)
                .filter(id -> id != null).findFirst().orElse(null);
        for (Coding coding : observation.getCode().getCoding()) {
            String token = OutcomeCodes.token(coding);
            Optional<OutcomeInstrument> instrument = instruments.byScoreCode(token);
            if (instrument.isPresent()) {
                Instant day = dayOnly(observation.getEffective());
                number(observation.getValue()).ifPresent(value -> facts.add(OutcomeFact.of(FactKind.SCORE, patient, day != null ? day : at)
                        .withCode(token).withValues(value, null).withRef(session)
                        .withStatus(day != null ? OutcomeFact.DATE_ONLY : null)));
                return;
            }
            if (token.equals(codes.suicidalIdeationItem())) {
                itemValue(token, observation.getValue()).ifPresent(value -> facts.add(
                        OutcomeFact.of(FactKind.SUICIDAL_IDEATION, patient, at).withCode(token).withValues((double) value, null)));
                return;
            }
            if (codes.sedation().contains(token)) {
                number(observation.getValue()).ifPresent(value -> facts.add(OutcomeFact.of(FactKind.SEDATION, patient, at)
                        .withCode(token).withValues(value, null).withRef(session)));
                return;
            }
            if (token.equals(ReadingCodes.BP_PANEL)) {
                Double systolic = component(observation, ReadingCodes.SYSTOLIC);
                Double diastolic = component(observation, ReadingCodes.DIASTOLIC);
                if (systolic != null || diastolic != null) {
                    facts.add(OutcomeFact.of(FactKind.BLOOD_PRESSURE, patient, at).withValues(systolic, diastolic).withRef(session));
                }
                return;
            }
        }
    }

    private void questionnaireResponse(QuestionnaireResponse response, List<OutcomeFact> facts) {
        String patient = patientId(response.getSubject());
        Instant at = response.hasAuthored() ? response.getAuthored().toInstant() : null;
        if (patient == null || at == null || !scoredStatuses.counts(response.getStatus())) {
            return;
        }
        Optional<Instrument> instrument = instruments.catalog().findFor(response);
        String itemCode = codes.suicidalIdeationItem().substring(codes.suicidalIdeationItem().indexOf('|') + 1);
        if (instrument.isEmpty() || instrument.get().resolveLinkId(itemCode).isEmpty()) {
            return;
        }
        String linkId = instrument.get().resolveLinkId(itemCode).get();
        findItem(instrument.get(), response.getItem(), linkId)
                .flatMap(item -> itemValue(codes.suicidalIdeationItem(), item.getAnswerFirstRep().getValue()).stream().boxed().findFirst())
                .ifPresent(value -> facts.add(OutcomeFact.of(FactKind.SUICIDAL_IDEATION, patient, at)
                        .withCode(codes.suicidalIdeationItem()).withValues((double) value, null)));
    }

    private static Optional<QuestionnaireResponseItemComponent> findItem(
            Instrument instrument, List<QuestionnaireResponseItemComponent> items, String linkId) {
        for (QuestionnaireResponseItemComponent item : items) {
            if (item.hasAnswer() && instrument.resolveLinkId(item.getLinkId()).filter(linkId::equals).isPresent()) {
                return Optional.of(item);
            }
            Optional<QuestionnaireResponseItemComponent> nested = findItem(instrument, item.getItem(), linkId);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }

    private void session(MedicationAdministration session, List<OutcomeFact> facts) {
        String patient = patientId(session.getSubject());
        String status = session.hasStatus() ? session.getStatus().toCode() : "";
        if (patient == null || status.equals("not-done") || status.equals("entered-in-error")
                || !medications.isDosingSession(session)) {
            return;
        }
        Instant start;
        Instant end = null;
        if (session.getEffective() instanceof Period period) {
            start = period.hasStart() ? period.getStart().toInstant() : null;
            end = period.hasEnd() ? period.getEnd().toInstant() : null;
        } else {
            start = instant(session.getEffective());
        }
        if (start == null) {
            return;
        }
        MedicationAdministration.MedicationAdministrationDosageComponent dosage = session.getDosage();
        String route = dosage.hasRoute() && dosage.getRoute().hasCoding() ? OutcomeCodes.token(dosage.getRoute().getCodingFirstRep()) : null;
        Double mg = milligrams(dosage.getDose());
        Extension perKg = dosage.getExtensionByUrl(DOSE_PER_KG_EXTENSION);
        Double mgPerKg = perKg != null && perKg.getValue() instanceof Quantity q && q.hasValue() ? q.getValue().doubleValue() : null;
        Extension plan = session.getExtensionByUrl(TREATMENT_PLAN_EXTENSION);
        String course = plan != null && plan.getValue() instanceof Reference reference ? idOf(reference, "CarePlan") : null;
        facts.add(OutcomeFact.of(FactKind.SESSION, patient, start).withEnd(end).withCode(route).withValues(mg, mgPerKg)
                .withCourse(course).withRef(session.getIdElement().getIdPart()).withStatus(status));
    }

    private void procedure(Procedure procedure, List<OutcomeFact> facts) {
        String patient = patientId(procedure.getSubject());
        Instant at = instant(procedure.getPerformed());
        if (patient == null || at == null || procedure.getStatus() != Procedure.ProcedureStatus.COMPLETED
                || !OutcomeCodes.anyIn(procedure.getCode(), codes.psychotherapy())) {
            return;
        }
        String course = procedure.getBasedOn().stream().map(r -> idOf(r, "CarePlan")).filter(id -> id != null)
                .findFirst().orElse(null);
        facts.add(OutcomeFact.of(FactKind.PSYCHOTHERAPY, patient, at).withCourse(course));
    }

    private void encounter(Encounter encounter, List<OutcomeFact> facts) {
        String patient = patientId(encounter.getSubject());
        Instant at = encounter.getPeriod().hasStart() ? encounter.getPeriod().getStart().toInstant() : null;
        if (patient == null || at == null || encounter.getStatus() != Encounter.EncounterStatus.FINISHED
                || encounter.getType().stream().noneMatch(type -> OutcomeCodes.anyIn(type, codes.psychotherapy()))) {
            return;
        }
        facts.add(OutcomeFact.of(FactKind.PSYCHOTHERAPY, patient, at));
    }

    private void adverseEvent(AdverseEvent event, List<OutcomeFact> facts) {
        String patient = patientId(event.getSubject());
        Date date = event.hasDate() ? event.getDate() : event.getDetected();
        if (patient == null || date == null || event.getActuality() != AdverseEvent.AdverseEventActuality.ACTUAL) {
            return;
        }
        String code = event.getEvent().hasCoding() ? OutcomeCodes.token(event.getEvent().getCodingFirstRep()) : null;
        String session = event.getSuspectEntity().stream().map(s -> idOf(s.getInstance(), "MedicationAdministration"))
                .filter(id -> id != null).findFirst().orElse(null);
        facts.add(OutcomeFact.of(FactKind.ADVERSE_EVENT, patient, date.toInstant()).withCode(code).withRef(session));
    }

    private void flag(Flag flag, List<OutcomeFact> facts) {
        String patient = patientId(flag.getSubject());
        Instant at = flag.getPeriod().hasStart() ? flag.getPeriod().getStart().toInstant() : null;
        if (patient == null || at == null || flag.getStatus() == Flag.FlagStatus.ENTEREDINERROR
                || !OutcomeCodes.anyIn(flag.getCode(), codes.safetySignals())) {
            return;
        }
        Coding signal = flag.getCode().getCoding().stream().filter(c -> codes.safetySignals().contains(OutcomeCodes.token(c)))
                .findFirst().orElseThrow();
        facts.add(OutcomeFact.of(FactKind.SAFETY_SIGNAL, patient, at).withCode(OutcomeCodes.token(signal)));
    }

    private void condition(Condition condition, List<OutcomeFact> facts) {
        String patient = patientId(condition.getSubject());
        String verification = condition.getVerificationStatus().getCodingFirstRep().getCode();
        if (patient == null || "refuted".equals(verification) || "entered-in-error".equals(verification)) {
            return;
        }
        Instant at = instant(condition.getOnset());
        if (at == null && condition.hasRecordedDate()) {
            at = condition.getRecordedDate().toInstant();
        }
        for (Coding coding : condition.getCode().getCoding()) {
            facts.add(OutcomeFact.of(FactKind.CONDITION, patient, at).withCode(OutcomeCodes.token(coding)));
        }
    }

    private void plan(CarePlan plan, List<OutcomeFact> facts) {
        String patient = patientId(plan.getSubject());
        if (patient == null || plan.getStatus() == CarePlan.CarePlanStatus.ENTEREDINERROR) {
            return;
        }
        Instant start = plan.getPeriod().hasStart() ? plan.getPeriod().getStart().toInstant() : null;
        Instant end = plan.getPeriod().hasEnd() ? plan.getPeriod().getEnd().toInstant() : null;
        facts.add(OutcomeFact.of(FactKind.PLAN, patient, start).withEnd(end).withCourse(plan.getIdElement().getIdPart()));
    }

    private OptionalInt itemValue(String itemToken, Type value) {
        if (value instanceof IntegerType integer && integer.getValue() != null) {
            return OptionalInt.of(integer.getValue());
        }
        if (value instanceof Coding coding) {
            return instruments.itemWeight(itemToken, coding);
        }
        if (value instanceof CodeableConcept concept) {
            for (Coding coding : concept.getCoding()) {
                OptionalInt weight = instruments.itemWeight(itemToken, coding);
                if (weight.isPresent()) {
                    return weight;
                }
            }
        }
        if (value instanceof Quantity quantity && quantity.hasValue()) {
            return OptionalInt.of(quantity.getValue().intValue());
        }
        return OptionalInt.empty();
    }

    private static Optional<Double> number(Type value) {
        if (value instanceof IntegerType integer && integer.getValue() != null) {
            return Optional.of(integer.getValue().doubleValue());
        }
        if (value instanceof Quantity quantity && quantity.hasValue()) {
            return Optional.of(quantity.getValue().doubleValue());
        }
        return Optional.empty();
    }

    private static Double component(Observation observation, String token) {
        return observation.getComponent().stream()
                .filter(c -> c.getCode().getCoding().stream().anyMatch(coding -> token.equals(OutcomeCodes.token(coding))))
                .map(c -> number(c.getValue()).orElse(null))
                .filter(v -> v != null)
                .findFirst().orElse(null);
    }

    private static Double milligrams(Quantity dose) {
        return Masses.grams(dose).map(grams -> grams.movePointRight(3).doubleValue()).orElse(null);
    }

    /**
     * The start of the day (UTC) of a dateTime given to the day or coarser ({@code 2026-01-06}), else null: such a score
     * counts by its date, whatever the server's time zone.
     */
    static Instant dayOnly(Type effective) {
        if (effective instanceof org.hl7.fhir.r4.model.DateTimeType dateTime && dateTime.getValue() != null
                && dateTime.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()) {
            int month = dateTime.getPrecision() == ca.uhn.fhir.model.api.TemporalPrecisionEnum.YEAR ? 1 : dateTime.getMonth() + 1;
            int day = dateTime.getPrecision() == ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY ? dateTime.getDay() : 1;
            return java.time.LocalDate.of(dateTime.getYear(), month, day).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        }
        return null;
    }

    private static Instant instant(Type effective) {
        return EffectiveTimes.of(effective).orElse(null);
    }

    static String patientId(Reference subject) {
        return idOf(subject, "Patient");
    }

    private static String idOf(Reference reference) {
        return idOf(reference, "MedicationAdministration");
    }

    static String idOf(Reference reference, String type) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        org.hl7.fhir.instance.model.api.IIdType id = reference.getReferenceElement();
        return type.equals(id.getResourceType()) && id.hasIdPart() ? id.getIdPart() : null;
    }
}
