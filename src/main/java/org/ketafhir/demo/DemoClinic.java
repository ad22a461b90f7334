package org.ketafhir.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.ketafhir.dosing.DoseLimits;
import org.ketafhir.demo.DemoInstruments.Instrument;
import org.ketafhir.demo.DemoInstruments.Item;
import org.ketafhir.demo.DemoPatient.Diagnosis;
import org.ketafhir.demo.DemoPatient.Route;
import org.ketafhir.demo.DemoPatient.Trajectory;
import org.ketafhir.ig.GuidePackage;

import ca.uhn.fhir.context.FhirContext;

/**
 * A synthetic ketamine clinic, deterministic from a seed: the same seed and patient number give the same bundle, byte
 * for byte (no clock, no UUIDs, no hash ordering; every date is counted from a fixed day). Each patient is one
 * transaction Bundle of PUTs under ids {@code demo-<seed>-<n>...}, so loading twice leaves one copy. The shared
 * clinic (organization, practitioners) is its own bundle, loaded first.
 *
 * <p>The records follow the guide's profiles and the dosing rules as configured by default (body weight within 30
 * days, pre-dose blood pressure within 60 minutes, esketamine 56 mg first and whole 28 mg devices up to 84 mg, at most
 * two esketamine sessions a week in weeks 1-4, SpO2 and post-dose blood pressure, observation time, IV at most
 * 0.75 mg/kg); the dose levels are read from the dosing settings' defaults ({@link DoseLimits}). Some sessions break a warning rule on purpose (elevated blood pressure). Scores are not sent: the server
 * derives them from the QuestionnaireResponses.
 */
public final class DemoClinic {

    static final String CANONICAL = "http://ketafhir.org/fhir/StructureDefinition/";
    static final String KETAFHIR = "http://ketafhir.org/fhir/CodeSystem/ketafhir";
    static final String INSTRUMENT = "http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument";
    static final String LOINC = "http://loinc.org";
    static final String SNOMED = "http://snomed.info/sct";
    static final String ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String UCUM = "http://unitsofmeasure.org";
    /** Patients per block of trajectories with the designed mix (see {@link #trajectory}). */
    private static final int TRAJECTORY_BLOCK = 20;
    /** Day 0 of the clinic: every date is counted from it, never from the clock. */
    static final LocalDate OPENING = LocalDate.of(2025, 1, 6);
    static final int PSYCHIATRISTS = 3;
    static final int THERAPISTS = 2;

    private static final String[] GIVEN = {"Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie",
        "Robin", "Avery", "Quinn", "Rowan", "Noa", "Kai", "Ilse", "Mateo", "Priya", "Omar", "Lena", "Tomas"};
    private static final String[] FAMILY = {"Reyes", "Chen", "Okafor", "Lindqvist", "Novak", "Haddad", "Moreau",
        "Tanaka", "Silva", "Kowalski", "Byrne", "Petrov", "Nguyen", "Adeyemi", "Fischer", "Rossi", "Larsen", "Khan"};
    private static final int[] INDUCTION_TWICE_WEEKLY = {0, 3, 7, 10, 14, 17};

    private final long seed;
    private final FhirContext fhir;
    private final DemoInstruments instruments;
    private final DoseLimits limits;

    public DemoClinic(long seed) {
        this.seed = seed;
        this.fhir = FhirContext.forR4Cached();
        this.instruments = new DemoInstruments(GuidePackage.builtIn());
        this.limits = DoseLimits.defaults();
    }

    public long seed() {
        return seed;
    }

    /** Compact JSON of a bundle; the same bundle always encodes to the same bytes. */
    public String encode(Bundle bundle) {
        return fhir.newJsonParser().encodeResourceToString(bundle);
    }

    public String patientId(int number) {
        return "demo-" + seed + "-" + number;
    }

    /** The clinic every patient refers to: one organization, psychiatrists and therapists. */
    public Bundle clinic() {
        Bundle bundle = transaction();
        Organization clinic = new Organization().setActive(true).setName("KetaFHIR Demo Clinic " + seed);
        put(bundle, clinic, organizationId(), "http://hl7.org/fhir/StructureDefinition/Organization");
        for (int i = 1; i <= PSYCHIATRISTS; i++) {
            Practitioner p = new Practitioner();
            p.addName().setFamily(FAMILY[(i * 5) % FAMILY.length]).addGiven(GIVEN[(i * 7) % GIVEN.length]).addPrefix("Dr.");
            put(bundle, p, psychiatristId(i), "http://hl7.org/fhir/StructureDefinition/Practitioner");
        }
        for (int i = 1; i <= THERAPISTS; i++) {
            Practitioner p = new Practitioner();
            p.addName().setFamily(FAMILY[(i * 11 + 3) % FAMILY.length]).addGiven(GIVEN[(i * 3 + 1) % GIVEN.length]);
            put(bundle, p, therapistId(i), "http://hl7.org/fhir/StructureDefinition/Practitioner");
        }
        return bundle;
    }

    /** What the generator decides for patient {@code number} (1-based), the same as in {@link #patient(int)}. */
    DemoPatient plan(int number) {
        return plan(random(number), number);
    }

    /** Patient {@code number} (1-based) with the whole course: one transaction Bundle. */
    public Bundle patient(int number) {
        SplittableRandom random = random(number);
        DemoPatient plan = plan(random, number);
        return new Course(patientId(number), plan, random, Schedule.of(plan, random)).bundle();
    }

    /**
     * One patient with a long IV course, for the summary benchmark: 40 dosing sessions and 200 scored responses (PHQ-9
     * and GAD-7 at 100 assessments), id {@code demo-<seed>-heavy}.
     */
    public Bundle heavyPatient() {
        SplittableRandom random = random(0);
        DemoPatient plan = new DemoPatient(0, Diagnosis.GAD, Route.IV, true, Trajectory.RESPONDER, 300);
        List<Integer> sessions = new ArrayList<>();
        for (int day : INDUCTION_TWICE_WEEKLY) {
            sessions.add(day);
        }
        for (int day = 24; sessions.size() < 40; day += 7) {
            sessions.add(day);
        }
        List<Integer> assessments = new ArrayList<>();
        assessments.add(-3);
        for (int day = 1; assessments.size() < 100; day += 3) {
            assessments.add(day);
        }
        return new Course("demo-" + seed + "-heavy", plan, random, new Schedule(sessions, assessments, -1))
                .bundle();
    }

    private SplittableRandom random(int number) {
        // one stream per patient: patient n is the same whatever the patient count
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + number * 0xBF58476D1CE4E5B9L + 7);
    }

    private DemoPatient plan(SplittableRandom random, int number) {
        Diagnosis diagnosis = pick(random, new int[] {45, 15, 15, 10, 15}, Diagnosis.values());
        Route route = diagnosis == Diagnosis.TREATMENT_RESISTANT_DEPRESSION
                ? pick(random, new int[] {30, 15, 45, 10}, Route.values())
                : pick(random, new int[] {55, 25, 0, 20}, Route.values());
        Trajectory trajectory = trajectory(number);
        // Half have psychotherapy, and it shifts ten points from non-response to remission (25/30/30/15 with it,
        // 25/20/40/15 without): the chance of psychotherapy given the trajectory, per mille, keeps that joint mix.
        boolean psychotherapy = random.nextInt(1000) < switch (trajectory) {
            case REMITTER -> 600;
            case NON_RESPONDER -> 429;
            default -> 500;
        };
        int followUp = switch (trajectory) {
            case NON_RESPONDER -> 90 + random.nextInt(31);
            case RELAPSE -> 150 + random.nextInt(216);
            default -> 90 + random.nextInt(276);
        };
        return new DemoPatient(number, diagnosis, route, psychotherapy, trajectory, followUp);
    }

    /**
     * The trajectories come in blocks of 20 patients with the designed mix exactly (5 responders, 5 remitters, 7
     * non-responders, 3 relapses: 25/25/35/15 %), each block in an order of its own drawn from the seed; the first four
     * of a block are one of each, so a clinic of four patients or more shows every trajectory.
     */
    private Trajectory trajectory(int number) {
        int block = (number - 1) / TRAJECTORY_BLOCK;
        int slot = (number - 1) % TRAJECTORY_BLOCK;
        SplittableRandom order = new SplittableRandom(seed * 0xD1B54A32D192ED03L + block * 0x94D049BB133111EBL + 11);
        List<Trajectory> first = new ArrayList<>(List.of(Trajectory.values()));
        List<Trajectory> rest = new ArrayList<>();
        for (Trajectory t : Trajectory.values()) {
            int inBlock = switch (t) {
                case RESPONDER, REMITTER -> 5;
                case NON_RESPONDER -> 7;
                case RELAPSE -> 3;
            };
            for (int i = 1; i < inBlock; i++) {
                rest.add(t);
            }
        }
        shuffle(first, order);
        shuffle(rest, order);
        return slot < first.size() ? first.get(slot) : rest.get(slot - first.size());
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    private static <T> T pick(SplittableRandom random, int[] weights, T[] values) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        throw new IllegalStateException("weights");
    }

    /** Days of dosing sessions and assessments, counted from the first session; relapse day or -1. */
    record Schedule(List<Integer> sessions, List<Integer> assessments, int relapseDay) {

        static Schedule of(DemoPatient plan, SplittableRandom random) {
            boolean maintained = plan.trajectory() != Trajectory.NON_RESPONDER;
            int end = plan.followUpDays();
            List<Integer> sessions = new ArrayList<>();
            switch (plan.route()) {
                case IV, IM -> {
                    for (int day : INDUCTION_TWICE_WEEKLY) {
                        sessions.add(day);
                    }
                    for (int day = 45; maintained && day <= end - 7; day += 28) {
                        sessions.add(day);
                    }
                }
                case ESKETAMINE -> {
                    // twice weekly in weeks 1-4, weekly in weeks 5-8, then every other week
                    for (int day : new int[] {0, 3, 7, 10, 14, 17, 21, 24}) {
                        sessions.add(day);
                    }
                    for (int day = 28; maintained && day <= end - 7; day += day < 56 ? 7 : 14) {
                        sessions.add(day);
                    }
                }
                case ORAL -> {
                    for (int day = 0; day <= 49; day += 7) {
                        sessions.add(day);
                    }
                    for (int day = 63; maintained && day <= end - 7; day += 14) {
                        sessions.add(day);
                    }
                }
                default -> throw new IllegalStateException(plan.route().name());
            }
            List<Integer> assessments = new ArrayList<>();
            assessments.add(-1 - random.nextInt(7));
            for (int day = 7; day <= end; day += day < 56 ? 7 : day < 112 ? 14 : 28) {
                assessments.add(day);
            }
            int relapse = -1;
            if (plan.trajectory() == Trajectory.RELAPSE) {
                // relapse on an assessment day from week 9 on, with at least one assessment after it: two in a row
                // above half the baseline
                List<Integer> candidates = assessments.stream()
                        .filter(day -> day >= 63 && assessments.indexOf(day) <= assessments.size() - 2).toList();
                relapse = candidates.get(random.nextInt(candidates.size()));
            }
            return new Schedule(sessions, assessments, relapse);
        }
    }

    /** Builds one patient's bundle; holds the patient's random stream and ids. */
    private final class Course {

        private final String id;
        private final DemoPatient plan;
        private final SplittableRandom random;
        private final Schedule schedule;
        private final Bundle bundle = transaction();
        private final Instant firstSession;
        private final int age;
        private final String psychiatrist;
        private final String therapist;
        private final double floor;
        private final double relapseLevel;
        private final int phqBaseline;
        private final int specificBaseline;
        private final int item9Baseline;
        private BigDecimal weightKg;
        private String lastWeightId;
        private Instant lastWeightAt;
        private int counter;

        Course(String id, DemoPatient plan, SplittableRandom random, Schedule schedule) {
            this.id = id;
            this.plan = plan;
            this.random = random;
            this.schedule = schedule;
            LocalDate day = OPENING.plusDays(random.nextInt(300));
            int minuteOfDay = (8 + random.nextInt(4)) * 60 + 15 * random.nextInt(4);
            // every session of a patient starts at the same time of day: course weeks stay whole weeks
            this.firstSession = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofMinutes(minuteOfDay));
            this.age = 20 + random.nextInt(56);
            this.psychiatrist = "Practitioner/" + psychiatristId(1 + random.nextInt(PSYCHIATRISTS));
            this.therapist = "Practitioner/" + therapistId(1 + random.nextInt(THERAPISTS));
            this.weightKg = BigDecimal.valueOf(550 + random.nextInt(500), 1);
            this.floor = switch (plan.trajectory()) {
                case REMITTER -> 0.05 + random.nextDouble() * 0.10;
                case RESPONDER, RELAPSE -> 0.30 + random.nextDouble() * 0.12;
                case NON_RESPONDER -> 0.72 + random.nextDouble() * 0.23;
            };
            this.relapseLevel = 0.65 + random.nextDouble() * 0.25;
            boolean depression = plan.diagnosis() == Diagnosis.TREATMENT_RESISTANT_DEPRESSION
                    || plan.diagnosis() == Diagnosis.BIPOLAR_DEPRESSION;
            this.phqBaseline = depression ? 15 + random.nextInt(11) : 10 + random.nextInt(10);
            Instrument specific = specific();
            this.specificBaseline = specific == null ? 0
                    : specific == instruments.gad7 ? 12 + random.nextInt(8)
                    : specific == instruments.pcl5 ? 38 + random.nextInt(25)
                    : 20 + random.nextInt(13);
            int positive = random.nextInt(100);
            this.item9Baseline = positive >= (depression ? 30 : 15) ? 0
                    : positive % 20 == 0 ? 3 : positive % 4 == 0 ? 2 : 1;
        }

        Bundle bundle() {
            String patient = "Patient/" + id;
            LocalDate birth = firstSession.atZone(ZoneOffset.UTC).toLocalDate().minusYears(age).minusDays(random.nextInt(365));
            Patient p = new Patient();
            p.addIdentifier().setSystem("http://ketafhir.org/fhir/sid/demo-mrn").setValue(id.toUpperCase());
            p.addName(new HumanName().setFamily(FAMILY[random.nextInt(FAMILY.length)]).addGiven(GIVEN[random.nextInt(GIVEN.length)]));
            p.setGender(random.nextBoolean() ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
            p.setBirthDateElement(new DateType(birth.toString()));
            p.setManagingOrganization(new Reference("Organization/" + organizationId()));
            put(bundle, p, id, "http://hl7.org/fhir/StructureDefinition/Patient");

            Instant consultation = firstSession.minus(Duration.ofDays(8 + random.nextInt(5))).plus(Duration.ofHours(1));
            String condition = condition(patient, consultation);
            String consent = consent(patient, consultation);
            String plan = carePlan(patient, condition, consent);

            // assessments and sessions in time order; psychotherapy beside the sessions
            List<Integer> sessions = schedule.sessions();
            if (this.plan.psychotherapy()) {
                psychotherapy(patient, plan, condition, at(-2, 15 * 60), "psychotherapy-preparation", "Preparation session");
            }
            int a = 0;
            for (int s = 0; s < sessions.size(); s++) {
                int day = sessions.get(s);
                while (a < schedule.assessments().size() && schedule.assessments().get(a) < day) {
                    assess(patient, plan, schedule.assessments().get(a++));
                }
                session(patient, plan, condition, s, day);
                if (this.plan.psychotherapy() && (s < 6 || random.nextInt(2) == 0)) {
                    psychotherapy(patient, plan, condition, at(day + 1, 15 * 60), "psychotherapy-integration",
                            "Integration session");
                }
            }
            while (a < schedule.assessments().size()) {
                assess(patient, plan, schedule.assessments().get(a++));
            }
            return bundle;
        }

        private Instrument specific() {
            return switch (plan.diagnosis()) {
                case GAD -> instruments.gad7;
                case PTSD -> instruments.pcl5;
                case OCD -> instruments.ybocs;
                default -> null;
            };
        }

        private String next(String kind) {
            return id + "-" + kind + (++counter);
        }

        /** The first session's start plus whole days, at the given minute of the day (UTC) when not negative. */
        private Instant at(int day, int minuteOfDay) {
            Instant start = firstSession.plus(Duration.ofDays(day));
            if (minuteOfDay < 0) {
                return start;
            }
            return start.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plus(Duration.ofMinutes(minuteOfDay));
        }

        private String condition(String patient, Instant recorded) {
            Condition c = new Condition();
            c.getClinicalStatus().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"));
            c.getVerificationStatus().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"));
            c.addCategory().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item",
                    "Problem List Item"));
            CodeableConcept code = c.getCode();
            switch (plan.diagnosis()) {
                case TREATMENT_RESISTANT_DEPRESSION -> {
                    c.addCategory().addCoding(new Coding(KETAFHIR, "treatment-resistant-depression", "Treatment-resistant depression"));
                    c.addExtension(CANONICAL + "failed-antidepressant-trials", new UnsignedIntType(2 + random.nextInt(4)));
                    boolean severe = phqBaseline >= 20;
                    code.addCoding(new Coding(SNOMED, severe ? "36474008" : "18818009", severe
                            ? "Severe recurrent major depression without psychotic features" : "Moderate recurrent major depression"));
                    code.addCoding(new Coding(ICD10, severe ? "F33.2" : "F33.1", severe
                            ? "Major depressive disorder, recurrent severe without psychotic features"
                            : "Major depressive disorder, recurrent, moderate"));
                    code.setText("Treatment-resistant major depression");
                }
                case BIPOLAR_DEPRESSION -> {
                    code.addCoding(new Coding(SNOMED, "191627008",
                            "Bipolar affective disorder, current episode depression"));
                    code.addCoding(new Coding(ICD10, "F31.4", "Bipolar disorder, current episode depressed, severe, without psychotic features"));
                    code.setText("Bipolar disorder, current episode depressed");
                }
                case PTSD -> {
                    code.addCoding(new Coding(SNOMED, "47505003", "Posttraumatic stress disorder"));
                    code.addCoding(new Coding(ICD10, "F43.10", "Post-traumatic stress disorder, unspecified"));
                }
                case OCD -> {
                    code.addCoding(new Coding(SNOMED, "191736004", "Obsessive-compulsive disorder"));
                    code.addCoding(new Coding(ICD10, "F42.2", "Mixed obsessional thoughts and acts"));
                }
                case GAD -> {
                    code.addCoding(new Coding(SNOMED, "21897009", "Generalized anxiety disorder"));
                    code.addCoding(new Coding(ICD10, "F41.1", "Generalized anxiety disorder"));
                }
                default -> throw new IllegalStateException(plan.diagnosis().name());
            }
            c.setSubject(new Reference(patient));
            c.setOnset(new DateTimeType(String.valueOf(2005 + random.nextInt(18))));
            c.setRecordedDateElement(new DateTimeType(date(recorded)));
            c.setRecorder(new Reference(psychiatrist));
            return put(bundle, c, id + "-condition", CANONICAL + "ketamine-condition");
        }

        private String consent(String patient, Instant at) {
            Consent c = new Consent();
            for (String[] risk : new String[][] {{"risk-dissociation", "Dissociation and perceptual changes"},
                {"risk-sedation", "Sedation"}, {"risk-blood-pressure", "Rise in blood pressure and heart rate"},
                {"risk-nausea-vomiting", "Nausea and vomiting"}, {"risk-abuse-misuse", "Abuse and misuse potential"},
                {"risk-driving", "No driving or machinery until the next day"}}) {
                c.addExtension(CANONICAL + "risks-discussed", new CodeableConcept(new Coding(KETAFHIR, risk[0], risk[1])));
            }
            c.addExtension(CANONICAL + "consent-obtained-by", new Reference(psychiatrist));
            c.setStatus(Consent.ConsentState.ACTIVE);
            c.getScope().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment"));
            c.addCategory().addCoding(new Coding(LOINC, "59284-0", null));
            c.setPatient(new Reference(patient));
            c.setDateTimeElement(new DateTimeType(at.toString()));
            c.addPerformer(new Reference(patient));
            c.addOrganization(new Reference("Organization/" + organizationId()));
            c.getPolicyRule().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in"));
            LocalDate from = at.atZone(ZoneOffset.UTC).toLocalDate();
            c.getProvision().setType(Consent.ConsentProvisionType.PERMIT)
                    .setPeriod(new Period().setStartElement(new DateTimeType(from.toString()))
                            .setEndElement(new DateTimeType(from.plusYears(1).toString())));
            return put(bundle, c, id + "-consent", CANONICAL + "treatment-consent");
        }

        private String carePlan(String patient, String condition, String consent) {
            CarePlan c = new CarePlan();
            c.setStatus(plan.trajectory() == Trajectory.NON_RESPONDER
                    ? CarePlan.CarePlanStatus.COMPLETED : CarePlan.CarePlanStatus.ACTIVE);
            c.setIntent(CarePlan.CarePlanIntent.PLAN);
            c.setTitle(routeText() + (plan.psychotherapy() ? " with integration psychotherapy" : ""));
            c.setSubject(new Reference(patient));
            LocalDate start = firstSession.atZone(ZoneOffset.UTC).toLocalDate();
            c.setPeriod(new Period().setStartElement(new DateTimeType(start.toString()))
                    .setEndElement(new DateTimeType(start.plusDays(plan.followUpDays()).toString())));
            c.setAuthor(new Reference(psychiatrist));
            c.addAddresses(new Reference(condition));
            c.addSupportingInfo(new Reference(consent));
            int induction = plan.route() == Route.ESKETAMINE ? 8 : plan.route() == Route.ORAL ? 8 : 6;
            c.addActivity().setDetail(dosingActivity("induction", "Induction series", "completed",
                    new Timing.TimingRepeatComponent().setCount(induction).setFrequency(plan.route() == Route.ORAL ? 1 : 2)
                            .setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.WK)));
            c.addActivity().setDetail(dosingActivity("maintenance", "Maintenance dosing",
                    plan.trajectory() == Trajectory.NON_RESPONDER ? "cancelled" : "in-progress",
                    new Timing.TimingRepeatComponent().setFrequency(1)
                            .setPeriod(plan.route() == Route.IV || plan.route() == Route.IM ? 4 : 2)
                            .setPeriodUnit(Timing.UnitsOfTime.WK)));
            if (plan.psychotherapy()) {
                CarePlan.CarePlanActivityDetailComponent d = new CarePlan.CarePlanActivityDetailComponent();
                d.setKind(CarePlan.CarePlanActivityKind.APPOINTMENT);
                d.setCode(new CodeableConcept(new Coding(KETAFHIR, "psychotherapy-integration", "Integration session")));
                d.setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS);
                d.setScheduled(new Timing().setRepeat(new Timing.TimingRepeatComponent().setFrequency(1).setPeriod(1)
                        .setPeriodUnit(Timing.UnitsOfTime.WK)));
                d.addPerformer(new Reference(therapist));
                d.setDescription("Integration psychotherapy the day after each induction session");
                c.addActivity().setDetail(d);
            }
            CarePlan.CarePlanActivityDetailComponent outcome = new CarePlan.CarePlanActivityDetailComponent();
            outcome.setKind(CarePlan.CarePlanActivityKind.TASK);
            outcome.setCode(new CodeableConcept(new Coding(KETAFHIR, "outcome-assessment", "Outcome assessment")));
            outcome.setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS);
            outcome.setDescription("PHQ-9" + (specific() == null ? "" : " and the condition's instrument")
                    + " at baseline, weekly for 8 weeks, then every 2 to 4 weeks");
            c.addActivity().setDetail(outcome);
            return put(bundle, c, id + "-plan", CANONICAL + "ketamine-treatment-plan");
        }

        private CarePlan.CarePlanActivityDetailComponent dosingActivity(String code, String display, String status,
                Timing.TimingRepeatComponent repeat) {
            CarePlan.CarePlanActivityDetailComponent d = new CarePlan.CarePlanActivityDetailComponent();
            d.addExtension(CANONICAL + "planned-route", routeCode());
            if (plan.route() == Route.IV || plan.route() == Route.IM) {
                d.addExtension(CANONICAL + "dose-per-kg", new Quantity().setValue(new BigDecimal("0.5"))
                        .setUnit("mg/kg").setSystem(UCUM).setCode("mg/kg"));
            }
            d.setKind(CarePlan.CarePlanActivityKind.MEDICATIONREQUEST);
            d.setCode(new CodeableConcept(new Coding(KETAFHIR, code, display)));
            d.setStatus(CarePlan.CarePlanActivityStatus.fromCode(status));
            d.setScheduled(new Timing().setRepeat(repeat));
            d.setProduct(medication(56));
            d.setDescription(display + ": " + routeText());
            return d;
        }

        private String routeText() {
            return switch (plan.route()) {
                case IV -> "IV ketamine";
                case IM -> "IM ketamine";
                case ESKETAMINE -> "Esketamine nasal spray";
                case ORAL -> "Oral ketamine";
            };
        }

        private CodeableConcept routeCode() {
            return switch (plan.route()) {
                case IV -> new CodeableConcept(new Coding(SNOMED, "47625008", "Intravenous route"));
                case IM -> new CodeableConcept(new Coding(SNOMED, "78421000", "Intramuscular route"));
                case ESKETAMINE -> new CodeableConcept(new Coding(SNOMED, "46713006", "Nasal route"));
                case ORAL -> new CodeableConcept(new Coding(SNOMED, "26643006", "Oral route"));
            };
        }

        private CodeableConcept medication(int esketamineMg) {
            CodeableConcept m = new CodeableConcept();
            switch (plan.route()) {
                case IV, IM -> {
                    m.addCoding(new Coding(RXNORM, "6130", "ketamine"));
                    m.addCoding(new Coding(KETAFHIR, "ketamine-injection", "Ketamine hydrochloride injection"));
                    m.setText("Ketamine hydrochloride injection");
                }
                case ESKETAMINE -> {
                    m.addCoding(new Coding(RXNORM, "2201625", null));
                    m.addCoding(new Coding("http://hl7.org/fhir/sid/ndc",
                            esketamineMg == 28 ? "50458-028-00" : esketamineMg == 56 ? "50458-028-02" : "50458-028-03", null));
                    m.setText("Spravato " + esketamineMg + " mg");
                }
                case ORAL -> {
                    m.addCoding(new Coding(RXNORM, "6130", "ketamine"));
                    m.addCoding(new Coding(KETAFHIR, "ketamine-compounded-oral", "Compounded oral or sublingual ketamine"));
                    m.setText("Compounded oral ketamine");
                }
                default -> throw new IllegalStateException(plan.route().name());
            }
            return m;
        }

        private void session(String patient, String carePlan, String condition, int index, int day) {
            Instant start = at(day, -1);
            String sessionId = next("session");
            String session = "MedicationAdministration/" + sessionId;
            boolean weightBased = plan.route() == Route.IV || plan.route() == Route.IM;
            // a body weight at the first visit and again when the last one is three weeks old
            if (lastWeightAt == null || Duration.between(lastWeightAt, start).toDays() >= 21) {
                weightKg = weightKg.add(BigDecimal.valueOf(random.nextInt(21) - 10, 1));
                lastWeightAt = start.minus(Duration.ofMinutes(25));
                Observation w = vital("29463-7", "Body weight", lastWeightAt, null);
                w.setValue(new Quantity().setValue(weightKg).setUnit("kg").setSystem(UCUM).setCode("kg"));
                lastWeightId = put(bundle, w, next("weight"), CANONICAL + "session-vital-signs");
            }

            MedicationAdministration ma = new MedicationAdministration();
            ma.addExtension(CANONICAL + "treatment-plan", new Reference(carePlan));
            int mg;
            Instant doseEnd;
            boolean stopped = false;
            MedicationAdministration.MedicationAdministrationDosageComponent dosage = ma.getDosage();
            switch (plan.route()) {
                case IV -> {
                    // 0.5 mg/kg, one session in five 0.7: never above the dosing settings' warning level
                    BigDecimal target = (random.nextInt(5) == 0 ? new BigDecimal("0.7") : new BigDecimal("0.5"))
                            .min(limits.ivWarningMgPerKg());
                    mg = target.multiply(weightKg).setScale(0, RoundingMode.FLOOR).intValue();
                    stopped = random.nextInt(30) == 0;
                    int minutes = stopped ? 15 + random.nextInt(11) : 40;
                    int given = stopped ? mg * minutes / 40 : mg;
                    // over 40 minutes: 1.5 x the dose per hour
                    dosage.setRate(new Quantity().setValue(BigDecimal.valueOf(mg * 15L, 1))
                            .setUnit("mg/h").setSystem(UCUM).setCode("mg/h"));
                    dosage.setText(target + " mg/kg (" + mg + " mg) IV over 40 minutes"
                            + (stopped ? "; stopped after " + minutes + " minutes, " + given + " mg given" : ""));
                    mg = given;
                    doseEnd = start.plus(Duration.ofMinutes(minutes));
                }
                case IM -> {
                    BigDecimal target = new BigDecimal(random.nextInt(3) == 0 ? "0.75" : "0.5")
                            .min(limits.imWarningMgPerKg());
                    mg = target.multiply(weightKg).setScale(0, RoundingMode.FLOOR).intValue();
                    dosage.setText(target + " mg/kg (" + mg + " mg) IM");
                    doseEnd = start.plus(Duration.ofMinutes(1));
                }
                case ESKETAMINE -> {
                    // day 1 is the first dose of the settings (56 mg at any age, as the US label has it), later
                    // sessions that dose or the largest one, in whole devices
                    int first = limits.esketamineFirstDoseMg();
                    mg = index == 0 ? first : random.nextInt(3) == 0 ? first : limits.esketamineMaxDoseMg();
                    int devices = mg / limits.esketamineDeviceMg();
                    dosage.addExtension(CANONICAL + "device-count", new PositiveIntType(devices));
                    dosage.setText(mg + " mg: " + devices + " device" + (devices > 1 ? "s, 5 minutes apart" : ""));
                    doseEnd = start.plus(Duration.ofMinutes(1 + 5L * (devices - 1)));
                }
                case ORAL -> {
                    mg = Math.min(50 + 25 * random.nextInt(5),
                            limits.oralWarningMgPerKg().multiply(weightKg).setScale(0, RoundingMode.FLOOR).intValue());
                    dosage.setText(mg + " mg oral");
                    doseEnd = start.plus(Duration.ofMinutes(5));
                }
                default -> throw new IllegalStateException(plan.route().name());
            }
            if (weightBased && lastWeightId != null) {
                ma.addExtension(CANONICAL + "body-weight-used", new Reference(lastWeightId));
                BigDecimal perKg = BigDecimal.valueOf(mg).divide(weightKg, 3, RoundingMode.HALF_UP).stripTrailingZeros();
                dosage.addExtension(CANONICAL + "dose-per-kg", new Quantity().setValue(perKg).setUnit("mg/kg")
                        .setSystem(UCUM).setCode("mg/kg"));
            }
            int observeMinutes = plan.route() == Route.ESKETAMINE ? 120 + 5 * random.nextInt(7) : 60 + 5 * random.nextInt(7);
            Instant observationEnd = doseEnd.plus(Duration.ofMinutes(observeMinutes));
            ma.addExtension(CANONICAL + "post-dose-observation-end", new DateTimeType(observationEnd.toString()));
            ma.setStatus(stopped ? MedicationAdministration.MedicationAdministrationStatus.STOPPED
                    : MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
            if (stopped) {
                ma.addStatusReason().setText(random.nextBoolean() ? "Stopped early: distressing dissociation"
                        : "Stopped early at the patient's request");
            }
            ma.setMedication(medication(mg));
            ma.setSubject(new Reference(patient));
            ma.setEffective(new Period().setStartElement(new DateTimeType(start.toString()))
                    .setEndElement(new DateTimeType(doseEnd.toString())));
            ma.addPerformer().setActor(new Reference(psychiatrist));
            ma.addReasonReference(new Reference(condition));
            dosage.setRoute(routeCode());
            dosage.setDose(new Quantity().setValue(mg).setUnit("mg").setSystem(UCUM).setCode("mg"));
            put(bundle, ma, sessionId, CANONICAL + "dosing-session");

            // pre-dose readings; a few elevated (a warning the server records, not a refusal)
            boolean elevated = random.nextInt(100) < 6;
            int systolic = elevated ? 142 + random.nextInt(11) : 112 + random.nextInt(25);
            int diastolic = elevated ? 86 + random.nextInt(8) : 70 + random.nextInt(17);
            put(bundle, bloodPressure(start.minus(Duration.ofMinutes(10)), systolic, diastolic, session), next("bp"),
                    CANONICAL + "session-vital-signs");
            Observation hr = vital("8867-4", "Heart rate", start.minus(Duration.ofMinutes(10)), session);
            hr.setValue(new Quantity().setValue(62 + random.nextInt(30)).setUnit("beats/minute").setSystem(UCUM).setCode("/min"));
            put(bundle, hr, next("hr"), CANONICAL + "session-vital-signs");
            Observation spo2 = vital("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry",
                    start.plus(Duration.ofMinutes(20)), session);
            spo2.setValue(new Quantity().setValue(94 + random.nextInt(6)).setUnit("%").setSystem(UCUM).setCode("%"));
            put(bundle, spo2, next("spo2"), CANONICAL + "session-vital-signs");
            // post-dose: about 40 minutes after the start (esketamine's rule), or at the end of an infusion
            Instant post = plan.route() == Route.ESKETAMINE ? start.plus(Duration.ofMinutes(40)) : doseEnd.plus(Duration.ofMinutes(5));
            boolean rise = random.nextInt(100) < 8;
            put(bundle, bloodPressure(post, rise ? 152 + random.nextInt(15) : systolic + random.nextInt(12),
                    rise ? 92 + random.nextInt(8) : diastolic + random.nextInt(6), session), next("bp"),
                    CANONICAL + "session-vital-signs");
            Observation moaas = sedation("moaas", KETAFHIR, "MOAA/S score", "exam", "Exam",
                    start.plus(Duration.ofMinutes(20)), session);
            int sedation = random.nextInt(10);
            moaas.setValue(new IntegerType(sedation < 6 ? 5 : sedation < 9 ? 4 : 3));
            put(bundle, moaas, next("moaas"), CANONICAL + "sedation-dissociation");
            int cadssMax = plan.route() == Route.ORAL ? 16 : 40;
            int cadssValue = random.nextInt(cadssMax);
            Observation cadss = sedation("cadss-total", INSTRUMENT, "CADSS total score", "survey", "Survey", post, session);
            cadss.setValue(new IntegerType(cadssValue));
            put(bundle, cadss, next("cadss"), CANONICAL + "sedation-dissociation");

            if (cadssValue >= 30 || stopped) {
                adverseEvent(patient, session, start.plus(Duration.ofMinutes(25)),
                        new Coding(KETAFHIR, "dissociation", "Dissociation"), cadssValue >= 36 ? "moderate" : "mild");
            }
            if (rise) {
                adverseEvent(patient, session, post, new Coding(SNOMED, "24184005", "Finding of increased blood pressure"), "mild");
            }
            if (random.nextInt(100) < 8) {
                adverseEvent(patient, session, doseEnd.plus(Duration.ofMinutes(15)), new Coding(SNOMED, "422587007", "Nausea"), "mild");
            }
        }

        private Observation bloodPressure(Instant at, int systolic, int diastolic, String session) {
            Observation bp = vital("85354-9", "Blood pressure panel with all children optional", at, session);
            bp.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "8480-6", "Systolic blood pressure")))
                    .setValue(new Quantity().setValue(systolic).setUnit("mmHg").setSystem(UCUM).setCode("mm[Hg]"));
            bp.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "8462-4", "Diastolic blood pressure")))
                    .setValue(new Quantity().setValue(diastolic).setUnit("mmHg").setSystem(UCUM).setCode("mm[Hg]"));
            return bp;
        }

        private Observation vital(String code, String display, Instant at, String session) {
            Observation o = new Observation();
            if (session != null) {
                o.addPartOf(new Reference(session));
            }
            o.setStatus(Observation.ObservationStatus.FINAL);
            o.addCategory().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs"));
            o.getCode().addCoding(new Coding(LOINC, code, display));
            o.setSubject(new Reference("Patient/" + id));
            o.setEffective(new DateTimeType(at.toString()));
            o.addPerformer(new Reference(psychiatrist));
            return o;
        }

        private Observation sedation(String code, String system, String display, String category, String categoryDisplay,
                Instant at, String session) {
            Observation o = new Observation();
            o.addPartOf(new Reference(session));
            o.setStatus(Observation.ObservationStatus.FINAL);
            o.addCategory().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", category, categoryDisplay));
            o.getCode().addCoding(new Coding(system, code, display));
            o.setSubject(new Reference("Patient/" + id));
            o.setEffective(new DateTimeType(at.toString()));
            o.addPerformer(new Reference(psychiatrist));
            return o;
        }

        private void adverseEvent(String patient, String session, Instant at, Coding event, String severity) {
            AdverseEvent e = new AdverseEvent();
            e.setActuality(AdverseEvent.AdverseEventActuality.ACTUAL);
            e.setEvent(new CodeableConcept(event));
            e.setSubject(new Reference(patient));
            e.setDateElement(new DateTimeType(at.toString()));
            e.setRecordedDateElement(new DateTimeType(at.toString()));
            e.setRecorder(new Reference(psychiatrist));
            e.getSeriousness().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness", "Non-serious", "Non-serious"));
            e.getSeverity().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/adverse-event-severity", severity,
                    severity.equals("mild") ? "Mild" : "Moderate"));
            e.getOutcome().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/adverse-event-outcome", "resolved", "Resolved"));
            e.addSuspectEntity().setInstance(new Reference(session));
            put(bundle, e, next("ae"), CANONICAL + "ketamine-adverse-event");
        }

        private void psychotherapy(String patient, String carePlan, String condition, Instant start, String kind, String display) {
            Procedure p = new Procedure();
            p.addBasedOn(new Reference(carePlan));
            p.setStatus(Procedure.ProcedureStatus.COMPLETED);
            p.setCategory(new CodeableConcept(new Coding(KETAFHIR, kind, display)));
            p.getCode().addCoding(new Coding(SNOMED, "75516001", "Psychotherapy"));
            p.setSubject(new Reference(patient));
            p.setPerformed(new Period().setStartElement(new DateTimeType(start.toString()))
                    .setEndElement(new DateTimeType(start.plus(Duration.ofMinutes(50)).toString())));
            p.addPerformer().setActor(new Reference(therapist));
            p.addReasonReference(new Reference(condition));
            put(bundle, p, next("therapy"), CANONICAL + "psychotherapy-session");
        }

        /** The outcome questionnaires of one assessment day, answered to follow the patient's trajectory. */
        private void assess(String patient, String carePlan, int day) {
            Instant at = at(day, 14 * 60 + 5 * random.nextInt(12));
            double ratio = ratio(day);
            int phq = target(instruments.phq9, phqBaseline, ratio, day, true);
            int item9 = day < 0 ? item9Baseline
                    : item9Baseline > 0 && ratio > 0.5 && random.nextBoolean() ? 1 : 0;
            phq = Math.max(phq, item9);
            phq = Math.min(phq, 24 + item9);
            int[] phqAnswers = new int[9];
            int[] rest = distribute(phq - item9, 8, 3);
            System.arraycopy(rest, 0, phqAnswers, 0, 8);
            phqAnswers[8] = item9;
            response(patient, carePlan, instruments.phq9, phqAnswers, at);
            Instrument specific = specific();
            if (specific != null) {
                int total = target(specific, specificBaseline, ratio, day, false);
                response(patient, carePlan, specific,
                        distribute(total, specific.items().size(), specific.items().get(0).max()),
                        at.plus(Duration.ofMinutes(5)));
            }
            if (item9 > 0) {
                // a positive item 9 is followed by a C-SSRS screener the same day
                boolean thoughts = item9 >= 2 || random.nextInt(10) < 4;
                boolean behaviour = random.nextInt(20) == 0;
                int[] answers = {1, thoughts ? 1 : 0, thoughts && random.nextInt(10) < 3 ? 1 : 0,
                    thoughts && item9 == 3 ? 1 : 0, 0, behaviour ? 1 : 0, 0};
                cssrs(patient, carePlan, answers, thoughts, behaviour, at.plus(Duration.ofMinutes(20)));
            }
        }

        /** Share of the baseline score expected on a day of the course. */
        private double ratio(int day) {
            if (day < 0) {
                return 1.0;
            }
            if (schedule.relapseDay() >= 0 && day >= schedule.relapseDay()) {
                return relapseLevel;
            }
            return 1.0 - (1.0 - floor) * Math.min(1.0, day / 21.0);
        }

        /** A total near baseline x ratio, held inside the trajectory's bands from week 4 on. */
        private int target(Instrument instrument, int baseline, double ratio, int day, boolean phq9) {
            if (day < 0) {
                return baseline;
            }
            int noise = Math.max(1, instrument.max() / 30);
            int value = (int) Math.round(baseline * ratio) + random.nextInt(2 * noise + 1) - noise;
            int half = baseline / 2;
            boolean relapsed = schedule.relapseDay() >= 0 && day >= schedule.relapseDay();
            if (plan.trajectory() == Trajectory.NON_RESPONDER || relapsed) {
                value = Math.max(value, half + 1);
            } else if (day >= 28) {
                value = Math.min(value, half);
                if (phq9 && plan.trajectory() == Trajectory.REMITTER) {
                    value = Math.min(value, 4);
                } else if (phq9) {
                    value = Math.max(value, 5);
                }
            }
            return Math.max(0, Math.min(instrument.max(), value));
        }

        /** Spreads a total over items of at most {@code max} each, item order drawn from the random stream. */
        private int[] distribute(int total, int items, int max) {
            int[] values = new int[items];
            int left = Math.min(total, items * max);
            while (left > 0) {
                int[] order = shuffled(items);
                for (int i = 0; i < items && left > 0; i++) {
                    if (values[order[i]] < max && (random.nextInt(4) != 0 || left >= items)) {
                        values[order[i]]++;
                        left--;
                    }
                }
            }
            return values;
        }

        private int[] shuffled(int n) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            return order;
        }

        private void response(String patient, String carePlan, Instrument instrument, int[] weights, Instant at) {
            QuestionnaireResponse r = newResponse(patient, carePlan, instrument, at);
            for (int i = 0; i < weights.length; i++) {
                Item item = instrument.items().get(i);
                r.addItem().setLinkId(item.linkId()).setText(item.text()).addAnswer()
                        .setValue(item.byWeight().get(weights[i]).copy());
            }
            put(bundle, r, next("qr"), CANONICAL + "outcome-questionnaire-response");
        }

        private void cssrs(String patient, String carePlan, int[] yes, boolean thoughts, boolean behaviour, Instant at) {
            QuestionnaireResponse r = newResponse(patient, carePlan, instruments.cssrs, at);
            List<Item> items = instruments.cssrs.items();
            for (int i = 0; i < items.size(); i++) {
                // questions 3-5 only after suicidal thoughts, 7 only after behaviour (the Questionnaire's enableWhen)
                if ((i >= 2 && i <= 4 && !thoughts) || (i == 6 && !behaviour)) {
                    continue;
                }
                Item item = items.get(i);
                r.addItem().setLinkId(item.linkId()).setText(item.text()).addAnswer()
                        .setValue(item.byWeight().get(yes[i]).copy());
            }
            put(bundle, r, next("qr"), CANONICAL + "outcome-questionnaire-response");
        }

        private QuestionnaireResponse newResponse(String patient, String carePlan, Instrument instrument, Instant at) {
            QuestionnaireResponse r = new QuestionnaireResponse();
            r.addBasedOn(new Reference(carePlan));
            r.setQuestionnaire(instrument.url());
            r.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
            r.setSubject(new Reference(patient));
            r.setAuthoredElement(new DateTimeType(at.toString()));
            r.setAuthor(new Reference(patient));
            r.setSource(new Reference(patient));
            return r;
        }
    }

    String organizationId() {
        return "demo-" + seed + "-clinic";
    }

    String psychiatristId(int i) {
        return "demo-" + seed + "-psychiatrist-" + i;
    }

    String therapistId(int i) {
        return "demo-" + seed + "-therapist-" + i;
    }

    private static Bundle transaction() {
        Bundle bundle = new Bundle();
        bundle.setType(BundleType.TRANSACTION);
        return bundle;
    }

    /** Adds a PUT entry under a client-chosen id; returns the literal reference {@code Type/id}. */
    private static String put(Bundle bundle, Resource resource, String id, String profile) {
        String type = resource.fhirType();
        resource.setId(id);
        resource.getMeta().addProfile(profile);
        bundle.addEntry().setResource(resource)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl(type + "/" + id);
        return type + "/" + id;
    }

    private static String date(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

}
