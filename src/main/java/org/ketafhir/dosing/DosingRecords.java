package org.ketafhir.dosing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.codesystems.AllergyintoleranceClinical;
import org.hl7.fhir.r4.model.codesystems.AllergyintoleranceVerification;
import org.hl7.fhir.r4.model.codesystems.ConditionClinical;
import org.hl7.fhir.r4.model.codesystems.ConditionVerStatus;
import org.ketafhir.dosing.DosingFacts.BloodPressure;
import org.ketafhir.dosing.DosingFacts.Reading;
import org.ketafhir.dosing.DosingFacts.Session;
import org.ketafhir.dosing.DosingFacts.Vital;
import org.ketafhir.dosing.DosingFacts.Weight;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictUtil;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;

/**
 * What the dosing rules read from storage about a session's patient, and the server's own writes (the session's
 * computed extensions, the DetectedIssue). Reads and writes run as {@link SystemRequestDetails} inside the
 * transaction of the write being checked (a client allowed to record a session need not be allowed to search every
 * Observation; the DetectedIssue is the server's record).
 */
final class DosingRecords {

    /** TransactionDetails user data: what {@link #facts} read once per patient in one transaction. */
    private static final String READ_ONCE = DosingRecords.class.getName() + ".readOnce";
    /** TransactionDetails user data: the reading window of every session of each patient this transaction stores. */
    private static final String EXPECTED = DosingRecords.class.getName() + ".expected";
    /** The slack the reading searches allow at each end of a window. */
    private static final long SLACK_SECONDS = 60;

    private final DaoRegistry daos;
    private final DosingProperties properties;
    private final ReadingWindows windows;
    private final DosingSessions sessions;
    private final ContraindicationGroups contraindications;
    private final ContraindicationGroups.Group suicidalIdeation;
    private final ReadingCodes codes;
    /** Every code the rules read as a session reading: the one search of {@link #readings} asks for all of them. */
    private final Set<String> readingCodes;

    /** @param suicidalIdeation the codes of ketafhir-acute-suicidal-ideation (esketamine first dose of 84 mg) */
    DosingRecords(DaoRegistry daos, DosingProperties properties, ReadingWindows windows, DosingSessions sessions,
            ContraindicationGroups contraindications, ContraindicationGroups.Group suicidalIdeation, ReadingCodes codes) {
        this.daos = daos;
        this.properties = properties;
        this.windows = windows;
        this.sessions = sessions;
        this.contraindications = contraindications;
        this.suicidalIdeation = suicidalIdeation;
        this.codes = codes;
        Set<String> all = new HashSet<>(Set.of(ReadingCodes.BODY_WEIGHT, ReadingCodes.BP_PANEL, ReadingCodes.SYSTOLIC,
                ReadingCodes.DIASTOLIC));
        for (Vital vital : Vital.values()) {
            all.addAll(codes.of(vital));
        }
        this.readingCodes = Set.copyOf(all);
    }

    /** {@code Patient/<id>} of a session whose subject is a stored patient's reference. */
    static Optional<String> patientOf(MedicationAdministration administration) {
        IdType subject = new IdType(administration.getSubject().getReference());
        if (!"Patient".equals(subject.getResourceType()) || !subject.hasIdPart() || subject.hasBaseUrl()) {
            return Optional.empty();
        }
        return Optional.of("Patient/" + subject.getIdPart());
    }

    /** The latest body weight of the patient at or before the start, however old. */
    Optional<Weight> latestWeight(String patient, Instant start) {
        SearchParameterMap search = observations(patient, Set.of(ReadingCodes.BODY_WEIGHT), null, start.plusSeconds(1));
        search.setSort(new SortSpec("date", SortOrderEnum.DESC));
        return this.<Observation>search("Observation", search).stream()
                .filter(DosingRecords::counts)
                .map(o -> weight(o))
                .flatMap(Optional::stream)
                .filter(w -> !w.at().isAfter(start))
                .max(java.util.Comparator.comparing(Weight::at));
    }

    /**
     * Notes, while a transaction stores its entries (before any rule runs), the reading window of a session, so that
     * the first check of the patient's sessions reads the readings of all of them with one search.
     */
    void expect(String patient, Session session, TransactionDetails transaction) {
        if (transaction == null) {
            return;
        }
        Map<String, Window> expected = transaction.getOrCreateUserData(EXPECTED, HashMap::new);
        expected.merge(patient, window(session), Window::union);
    }

    /**
     * The facts the rules weigh for one session. Within one database transaction (a transaction Bundle's checks run
     * together, after all its entries are stored) the patient's age, sessions, contraindications and readings are
     * read once and kept for the other sessions of the same patient: they cannot change between those checks. The
     * readings (weights, blood pressures, SpO2, respiratory rate, MOAA/S) are one search over the windows of every
     * session of the patient in the transaction. A null transaction reads everything.
     */
    DosingFacts facts(MedicationAdministration administration, Session session, String patient,
            TransactionDetails transaction) {
        Window own = window(session);
        ReadingWindow readings = readings(patient, own, transaction);
        List<BloodPressure> pressures = new ArrayList<>();
        for (Observation o : readings.of(Set.of(ReadingCodes.BP_PANEL), own.from(), own.to())) {
            Optional<Instant> at = effective(o);
            Optional<BigDecimal> systolic = component(o, ReadingCodes.SYSTOLIC);
            Optional<BigDecimal> diastolic = component(o, ReadingCodes.DIASTOLIC);
            if (counts(o) && at.isPresent() && systolic.isPresent() && diastolic.isPresent()) {
                pressures.add(new BloodPressure(systolic.get(), diastolic.get(), at.get()));
            }
        }
        pressures.addAll(separateBloodPressures(readings, own));
        List<Observation> spo2Observations = readings.of(codes.of(Vital.SPO2), session.start(), own.to()).stream()
                .filter(DosingRecords::counts).toList();
        List<Instant> spo2 = spo2Observations.stream().map(DosingRecords::effective).flatMap(Optional::stream).toList();
        List<Reading> readingValues = new ArrayList<>(readings(Vital.SPO2, spo2Observations, "%"));
        readingValues.addAll(readings(Vital.RESPIRATORY_RATE,
                readings.of(codes.of(Vital.RESPIRATORY_RATE), session.start(), own.to()), "/min"));
        readingValues.addAll(readings(Vital.SEDATION_MOAAS,
                readings.of(codes.of(Vital.SEDATION_MOAAS), session.start(), own.to()), null));
        Optional<BirthDate> born = once(transaction, "born " + patient, () -> birthDate(patient));
        String self = administration.getIdElement().getIdPart();
        List<Instant> otherEsketamineStarts = once(transaction, "esketamine " + patient,
                () -> esketamineStarts(patient)).stream()
                .filter(start -> self == null || !self.equals(start.sessionId()))
                .map(SessionStart::start)
                .toList();
        List<DosingRules.CodedRecord> coded = once(transaction, "conditions " + patient, () -> codedRecords(patient));
        return new DosingFacts(session,
                born.flatMap(b -> b.ageAt(session.start().atZone(properties.clinicZone()).toLocalDate())),
                latestWeight(patient, session.start(), readings), pressures, spo2, otherEsketamineStarts,
                DosingRules.classify(contraindications, coded),
                coded.stream().anyMatch(r -> r.current() && suicidalIdeation.matches(r.system(), r.code())),
                readingValues);
    }

    /** The time a session's readings are looked for in: from the pre-dose window to the end of observation. */
    private Window window(Session session) {
        return new Window(windows.preDoseFrom(session.start()),
                windows.readingsUntil(session.start(), session.observationEnd().orElse(session.doseEnd())));
    }

    /** The readings of the session's window: kept from this transaction's first search when it covers the window. */
    private ReadingWindow readings(String patient, Window own, TransactionDetails transaction) {
        if (transaction == null) {
            return search(patient, own);
        }
        Map<String, Object> kept = transaction.getOrCreateUserData(READ_ONCE, HashMap::new);
        if (kept.get("readings " + patient) instanceof ReadingWindow earlier && earlier.window().covers(own)) {
            return earlier;
        }
        Map<String, Window> expected = transaction.getOrCreateUserData(EXPECTED, HashMap::new);
        Window window = own.union(expected.getOrDefault(patient, own));
        ReadingWindow read = search(patient, window);
        kept.put("readings " + patient, read);
        return read;
    }

    private ReadingWindow search(String patient, Window window) {
        return new ReadingWindow(window, this.<Observation>search("Observation",
                observations(patient, readingCodes, window.from(), window.to())));
    }

    /** The latest body weight at or before the start: from the readings when one is there, else however old. */
    private Optional<Weight> latestWeight(String patient, Instant start, ReadingWindow readings) {
        Optional<Weight> recent = readings.of(Set.of(ReadingCodes.BODY_WEIGHT), readings.window().from(), start).stream()
                .filter(DosingRecords::counts)
                .map(DosingRecords::weight)
                .flatMap(Optional::stream)
                .filter(w -> !w.at().isAfter(start))
                .max(java.util.Comparator.comparing(Weight::at));
        return recent.isPresent() ? recent : latestWeight(patient, start);
    }

    /** A span of effective times, both ends included. */
    private record Window(Instant from, Instant to) {

        Window union(Window other) {
            return new Window(from.isBefore(other.from) ? from : other.from, to.isAfter(other.to) ? to : other.to);
        }

        boolean covers(Window other) {
            return !other.from.isBefore(from) && !other.to.isAfter(to);
        }
    }

    /**
     * A patient's readings effective within a window (a minute's slack at each end, as the search has), read with
     * one search; {@link #of} selects a kind of reading in a part of the window.
     */
    private record ReadingWindow(Window window, List<Observation> observations) {

        List<Observation> of(Set<String> codes, Instant from, Instant to) {
            Instant earliest = from.minusSeconds(SLACK_SECONDS);
            Instant last = to.plusSeconds(SLACK_SECONDS);
            return observations.stream()
                    .filter(o -> o.getCode().getCoding().stream()
                            .anyMatch(c -> codes.contains(c.getSystem() + "|" + c.getCode())))
                    .filter(o -> effective(o).filter(at -> !at.isBefore(earliest) && !at.isAfter(last)).isPresent())
                    .toList();
        }
    }

    /**
     * A birth date as precise as it was recorded: a full date, or the first and last days a year or year-month allows.
     */
    record BirthDate(LocalDate earliest, LocalDate latest) {

        static BirthDate parse(String value) {
            if (value.length() == 4) {
                int year = Integer.parseInt(value);
                return new BirthDate(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
            }
            if (value.length() == 7) {
                java.time.YearMonth month = java.time.YearMonth.parse(value);
                return new BirthDate(month.atDay(1), month.atEndOfMonth());
            }
            LocalDate day = LocalDate.parse(value.substring(0, 10));
            return new BirthDate(day, day);
        }

        /** Whole years on the day; empty when the earliest and latest possible birth dates give different ages. */
        Optional<Integer> ageAt(LocalDate day) {
            int oldest = Period.between(earliest, day).getYears();
            int youngest = Period.between(latest, day).getYears();
            return oldest == youngest ? Optional.of(oldest) : Optional.empty();
        }
    }

    /**
     * Blood pressures recorded as a standalone systolic (8480-6) and diastolic (8462-4) Observation rather than a
     * panel: the two taken at the same effective time make one reading.
     */
    private static List<BloodPressure> separateBloodPressures(ReadingWindow readings, Window own) {
        Map<Instant, BigDecimal> diastolic = new HashMap<>();
        for (Observation o : readings.of(Set.of(ReadingCodes.DIASTOLIC), own.from(), own.to())) {
            Optional<BigDecimal> value = value(o, "mm[Hg]");
            if (counts(o) && effective(o).isPresent() && value.isPresent()) {
                diastolic.put(effective(o).get(), value.get());
            }
        }
        List<BloodPressure> pressures = new ArrayList<>();
        for (Observation o : readings.of(Set.of(ReadingCodes.SYSTOLIC), own.from(), own.to())) {
            Optional<Instant> at = effective(o);
            Optional<BigDecimal> value = value(o, "mm[Hg]");
            if (counts(o) && at.isPresent() && value.isPresent() && diastolic.containsKey(at.get())) {
                pressures.add(new BloodPressure(value.get(), diastolic.get(at.get()), at.get()));
            }
        }
        return pressures;
    }

    /** The timed values of the Observations that count; {@code ucum} the unit a Quantity must have (null: a score). */
    private static List<Reading> readings(Vital vital, List<Observation> observations, String ucum) {
        List<Reading> readings = new ArrayList<>();
        for (Observation o : observations) {
            Optional<Instant> at = effective(o);
            Optional<BigDecimal> value = value(o, ucum);
            if (counts(o) && at.isPresent() && value.isPresent()) {
                readings.add(new Reading(vital, value.get(), at.get()));
            }
        }
        return readings;
    }

    /** A Quantity in the UCUM unit, or for a score (ucum null) an integer or a unitless Quantity. */
    private static Optional<BigDecimal> value(Observation observation, String ucum) {
        if (ucum == null && observation.getValue() instanceof IntegerType score && score.getValue() != null) {
            return Optional.of(BigDecimal.valueOf(score.getValue()));
        }
        if (observation.getValue() instanceof Quantity q && q.hasValue()
                && (ucum == null ? !q.hasCode() || "1".equals(q.getCode()) || "{score}".equals(q.getCode())
                        : ucum.equals(q.getCode()))) {
            return Optional.of(q.getValue());
        }
        return Optional.empty();
    }

    private record SessionStart(String sessionId, Instant start) {
    }

    @SuppressWarnings("unchecked")
    private static <T> T once(TransactionDetails transaction, String key, Supplier<T> read) {
        if (transaction == null) {
            return read.get();
        }
        Map<String, Object> kept = transaction.getOrCreateUserData(READ_ONCE, HashMap::new);
        return (T) kept.computeIfAbsent(key, k -> read.get());
    }

    private Optional<BirthDate> birthDate(String patient) {
        try {
            Patient p = daos.getResourceDao(Patient.class).read(new IdType(patient), system());
            if (!p.hasBirthDate()) {
                return Optional.empty();
            }
            return Optional.of(BirthDate.parse(p.getBirthDateElement().getValueAsString()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }

    /** The starts of the patient's stored esketamine sessions, with their ids. */
    private List<SessionStart> esketamineStarts(String patient) {
        SearchParameterMap search = SearchParameterMap.newSynchronous("subject", new ReferenceParam(patient));
        List<SessionStart> starts = new ArrayList<>();
        for (MedicationAdministration stored : this.<MedicationAdministration>search("MedicationAdministration", search)) {
            sessions.read(stored)
                    .filter(Session::esketamine)
                    .ifPresent(s -> starts.add(new SessionStart(stored.getIdElement().getIdPart(), s.start())));
        }
        return starts;
    }

    /** The codes of the patient's Conditions and AllergyIntolerances that are not refuted or entered in error. */
    private List<DosingRules.CodedRecord> codedRecords(String patient) {
        List<DosingRules.CodedRecord> records = new ArrayList<>();
        for (Condition c : this.<Condition>search("Condition",
                SearchParameterMap.newSynchronous("subject", new ReferenceParam(patient)))) {
            if (!conditionStands(c.getVerificationStatus().getCodingFirstRep().getCode())) {
                continue;
            }
            codes(records, "Condition/" + c.getIdElement().getIdPart(), c.getCode(),
                    conditionCurrent(c.getClinicalStatus().getCodingFirstRep().getCode()));
        }
        for (AllergyIntolerance a : this.<AllergyIntolerance>search("AllergyIntolerance",
                SearchParameterMap.newSynchronous("patient", new ReferenceParam(patient)))) {
            if (!allergyStands(a.getVerificationStatus().getCodingFirstRep().getCode())) {
                continue;
            }
            codes(records, "AllergyIntolerance/" + a.getIdElement().getIdPart(), a.getCode(),
                    allergyCurrent(a.getClinicalStatus().getCodingFirstRep().getCode()));
        }
        return records;
    }

    /** Condition verification (HL7 condition-ver-status): anything but refuted and entered-in-error, or none. */
    static boolean conditionStands(String verification) {
        ConditionVerStatus status = known(verification, ConditionVerStatus::fromCode);
        return status != ConditionVerStatus.REFUTED && status != ConditionVerStatus.ENTEREDINERROR;
    }

    /** Condition clinical status (HL7 condition-clinical): active, recurrence or relapse, or none recorded. */
    static boolean conditionCurrent(String clinical) {
        return clinical == null || EnumSet.of(ConditionClinical.ACTIVE, ConditionClinical.RECURRENCE,
                ConditionClinical.RELAPSE).contains(known(clinical, ConditionClinical::fromCode));
    }

    /** AllergyIntolerance verification (HL7 allergyintolerance-verification): not refuted or entered-in-error. */
    static boolean allergyStands(String verification) {
        AllergyintoleranceVerification status = known(verification, AllergyintoleranceVerification::fromCode);
        return status != AllergyintoleranceVerification.REFUTED
                && status != AllergyintoleranceVerification.ENTEREDINERROR;
    }

    /** AllergyIntolerance clinical status (HL7 allergyintolerance-clinical): active, or none recorded. */
    static boolean allergyCurrent(String clinical) {
        return clinical == null || known(clinical, AllergyintoleranceClinical::fromCode) == AllergyintoleranceClinical.ACTIVE;
    }

    /** The HL7 code's constant; null for no code or a code the code system lacks (the profile checks the binding). */
    private static <T> T known(String code, CodeReader<T> reader) {
        if (code == null) {
            return null;
        }
        try {
            return reader.read(code);
        } catch (FHIRException e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface CodeReader<T> {
        T read(String code) throws FHIRException;
    }

    private static void codes(List<DosingRules.CodedRecord> into, String reference, CodeableConcept code, boolean current) {
        for (Coding coding : code.getCoding()) {
            into.add(new DosingRules.CodedRecord(reference, coding.getSystem(), coding.getCode(), current));
        }
    }

    /** The session as the client may read it (request-level interceptors, e.g. authorization, apply). */
    MedicationAdministration readSession(IdType id, ca.uhn.fhir.rest.api.server.RequestDetails request) {
        return daos.getResourceDao(MedicationAdministration.class).read(id.toUnqualifiedVersionless(), request);
    }

    /** The patient's AdverseEvents whose suspect entity is this session. */
    List<AdverseEvent> adverseEventsOf(String patient, String sessionId) {
        String session = "MedicationAdministration/" + sessionId;
        return this.<AdverseEvent>search("AdverseEvent",
                SearchParameterMap.newSynchronous("subject", new ReferenceParam(patient))).stream()
                .filter(event -> event.getSuspectEntity().stream()
                        .anyMatch(s -> new IdType(s.getInstance().getReference()).toUnqualifiedVersionless().getValue()
                                .equals(session)))
                .toList();
    }

    /** Creates or updates the session's DetectedIssue under its derived id. */
    void saveIssue(DetectedIssue issue, TransactionDetails transaction) {
        daos.getResourceDao(DetectedIssue.class).update(issue, null, true, false, system(), transaction);
    }

    /** A DetectedIssue raised earlier for the session, when the session no longer breaks a rule: cancelled. */
    void cancelIssue(String issueId, TransactionDetails transaction) {
        DetectedIssue issue;
        try {
            issue = daos.getResourceDao(DetectedIssue.class).read(new IdType("DetectedIssue", issueId), system());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return;
        }
        if (issue.getStatus() != DetectedIssue.DetectedIssueStatus.CANCELLED) {
            issue.setStatus(DetectedIssue.DetectedIssueStatus.CANCELLED);
            issue.setId(issue.getIdElement().toUnqualifiedVersionless());
            saveIssue(issue, transaction);
        }
    }

    /** Deletes the session's DetectedIssue if it exists; refused (409) when another resource refers to it. */
    void deleteIssue(String issueId, TransactionDetails transaction) {
        DeleteConflictList conflicts = new DeleteConflictList();
        daos.getResourceDao(DetectedIssue.class).delete(new IdType("DetectedIssue", issueId), conflicts, system(), transaction);
        DeleteConflictUtil.validateDeleteConflictsEmptyOrThrowException(
                daos.getResourceDao(DetectedIssue.class).getContext(), conflicts);
    }

    /** @param codes {@code system|code}, any of them */
    private static SearchParameterMap observations(String patient, Set<String> codes, Instant from, Instant to) {
        SearchParameterMap search = SearchParameterMap.newSynchronous("subject", new ReferenceParam(patient));
        TokenOrListParam anyCode = new TokenOrListParam();
        codes.stream().sorted().forEach(c -> anyCode.add(c.substring(0, c.indexOf('|')), c.substring(c.indexOf('|') + 1)));
        search.add("code", anyCode);
        DateRangeParam range = new DateRangeParam();
        if (from != null) {
            range.setLowerBound(new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS,
                    Date.from(from.minusSeconds(SLACK_SECONDS))));
        }
        range.setUpperBound(new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, Date.from(to.plusSeconds(SLACK_SECONDS))));
        search.add("date", range);
        return search;
    }

    @SuppressWarnings("unchecked")
    private <T extends IBaseResource> List<T> search(String type, SearchParameterMap search) {
        return (List<T>) daos.getResourceDao(type).search(search, system()).getAllResources();
    }

    /** Readings that count: not cancelled or entered in error. */
    private static boolean counts(Observation observation) {
        return observation.getStatus() != Observation.ObservationStatus.CANCELLED
                && observation.getStatus() != Observation.ObservationStatus.ENTEREDINERROR;
    }

    private static Optional<Weight> weight(Observation observation) {
        if (!(observation.getValue() instanceof Quantity q) || !q.hasValue() || effective(observation).isEmpty()) {
            return Optional.empty();
        }
        Optional<BigDecimal> grams = Masses.grams(q);
        if (grams.isEmpty() || grams.get().signum() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Weight(grams.get().movePointLeft(3), effective(observation).get(),
                "Observation/" + observation.getIdElement().getIdPart()));
    }

    /** The value of the component coded {@code system|code}. */
    private static Optional<BigDecimal> component(Observation observation, String code) {
        return observation.getComponent().stream()
                .filter(c -> c.getCode().getCoding().stream().anyMatch(x -> code.equals(x.getSystem() + "|" + x.getCode())))
                .map(c -> c.getValue() instanceof Quantity q && q.hasValue() ? q.getValue() : null)
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    private static Optional<Instant> effective(Observation observation) {
        return EffectiveTimes.of(observation.getEffective());
    }

    private static SystemRequestDetails system() {
        return new SystemRequestDetails();
    }
}
