package org.ketafhir.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ketafhir.demo.DemoPatient.Route;
import org.ketafhir.demo.DemoPatient.Trajectory;

import ca.uhn.fhir.context.FhirContext;

class DemoClinicTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String PHQ9 = "http://ketafhir.org/fhir/Questionnaire/phq-9";
    private static final String CSSRS = "http://ketafhir.org/fhir/Questionnaire/c-ssrs-screener";
    /** PHQ-9 answer codes and their weights (LOINC answer list LL358-3). */
    private static final Map<String, Integer> PHQ9_WEIGHTS = Map.of("LA6568-5", 0, "LA6569-3", 1, "LA6570-1", 2, "LA6571-9", 3);

    private final DemoClinic clinic = new DemoClinic(42);

    @Test
    void theSameSeedShouldGiveByteIdenticalBundles() {
        DemoClinic again = new DemoClinic(42);
        assertThat(again.encode(again.clinic())).isEqualTo(clinic.encode(clinic.clinic()));
        for (int n = 1; n <= 30; n++) {
            assertThat(again.encode(again.patient(n))).isEqualTo(clinic.encode(clinic.patient(n)));
        }
        assertThat(again.encode(again.heavyPatient())).isEqualTo(clinic.encode(clinic.heavyPatient()));
    }

    @Test
    void aPatientShouldNotDependOnHowManyOthersAreGeneratedBeforeIt() {
        DemoClinic fresh = new DemoClinic(42);
        String seventh = fresh.encode(fresh.patient(7));
        for (int n = 1; n <= 6; n++) {
            clinic.patient(n);
        }
        assertThat(clinic.encode(clinic.patient(7))).isEqualTo(seventh);
    }

    @Test
    void anotherSeedShouldGiveOtherRecordsUnderOtherIds() {
        DemoClinic other = new DemoClinic(43);
        Bundle mine = clinic.patient(1);
        Bundle theirs = other.patient(1);
        assertThat(other.encode(theirs)).isNotEqualTo(clinic.encode(mine));
        assertThat(theirs.getEntryFirstRep().getRequest().getUrl()).isEqualTo("Patient/demo-43-1");
        assertThat(mine.getEntryFirstRep().getRequest().getUrl()).isEqualTo("Patient/demo-42-1");
        // not merely the ids: the courses differ somewhere among the first patients
        List<DemoPatient> a = new ArrayList<>();
        List<DemoPatient> b = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            a.add(clinic.plan(n));
            b.add(other.plan(n));
        }
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void everyBundleShouldParseAsATransactionOfPutsWithUniqueIds() {
        Set<String> urls = new HashSet<>();
        List<Bundle> bundles = new ArrayList<>();
        bundles.add(clinic.clinic());
        bundles.add(clinic.heavyPatient());
        for (int n = 1; n <= 100; n++) {
            bundles.add(clinic.patient(n));
        }
        for (Bundle generated : bundles) {
            Bundle parsed = FHIR.newJsonParser().parseResource(Bundle.class, clinic.encode(generated));
            assertThat(parsed.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
            assertThat(parsed.getEntry()).isNotEmpty().allSatisfy(entry -> {
                Resource resource = entry.getResource();
                assertThat(entry.getRequest().getMethod()).isEqualTo(HTTPVerb.PUT);
                assertThat(entry.getRequest().getUrl())
                        .isEqualTo(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
                assertThat(resource.getIdElement().getIdPart()).matches("[A-Za-z0-9\\-.]{1,64}");
                assertThat(resource.getMeta().getProfile()).hasSize(1);
                assertThat(urls.add(entry.getRequest().getUrl())).as(entry.getRequest().getUrl()).isTrue();
            });
        }
    }

    @Test
    void trajectoriesShouldAppearInTheDesignedProportions() {
        // designed: 25 % responders, 25 % remitters, 35 % non-responders, 15 % relapses; half with psychotherapy
        int patients = 4000;
        Map<Trajectory, Integer> counts = new EnumMap<>(Trajectory.class);
        Map<Route, Integer> routes = new EnumMap<>(Route.class);
        int psychotherapy = 0;
        for (int n = 1; n <= patients; n++) {
            DemoPatient plan = clinic.plan(n);
            counts.merge(plan.trajectory(), 1, Integer::sum);
            routes.merge(plan.route(), 1, Integer::sum);
            psychotherapy += plan.psychotherapy() ? 1 : 0;
            if (plan.route() == Route.ESKETAMINE) {
                assertThat(plan.diagnosis()).isEqualTo(DemoPatient.Diagnosis.TREATMENT_RESISTANT_DEPRESSION);
            }
        }
        // two percentage points either side: about four standard errors at 4,000 patients
        assertThat(share(counts.get(Trajectory.RESPONDER), patients)).isBetween(0.23, 0.27);
        assertThat(share(counts.get(Trajectory.REMITTER), patients)).isBetween(0.23, 0.27);
        assertThat(share(counts.get(Trajectory.NON_RESPONDER), patients)).isBetween(0.33, 0.37);
        assertThat(share(counts.get(Trajectory.RELAPSE), patients)).isBetween(0.13, 0.17);
        assertThat(share(psychotherapy, patients)).isBetween(0.48, 0.52);
        assertThat(routes.keySet()).containsExactlyInAnyOrder(Route.values());
    }

    @Test
    void everyClinicOfFourOrMorePatientsShouldShowEveryTrajectoryAndEachBlockOf20TheDesignedMix() {
        for (long seed : new long[] {1, 8, 42, 1000, 1004}) {
            DemoClinic other = new DemoClinic(seed);
            for (int size = 4; size <= 8; size++) {
                Set<Trajectory> seen = new HashSet<>();
                for (int n = 1; n <= size; n++) {
                    seen.add(other.plan(n).trajectory());
                }
                assertThat(seen).as("seed %d, %d patients", seed, size).containsExactlyInAnyOrder(Trajectory.values());
            }
            // 20 patients: 5 responders, 5 remitters, 7 non-responders, 3 relapses (25/25/35/15 %)
            Map<Trajectory, Integer> block = new EnumMap<>(Trajectory.class);
            for (int n = 21; n <= 40; n++) {
                block.merge(other.plan(n).trajectory(), 1, Integer::sum);
            }
            assertThat(block).as("seed %d, patients 21-40", seed).containsExactlyInAnyOrderEntriesOf(Map.of(
                    Trajectory.RESPONDER, 5, Trajectory.REMITTER, 5, Trajectory.NON_RESPONDER, 7, Trajectory.RELAPSE, 3));
        }
    }

    @Test
    void phq9TotalsShouldFollowEachPatientsTrajectory() {
        for (int n = 1; n <= 150; n++) {
            DemoPatient plan = clinic.plan(n);
            Bundle bundle = clinic.patient(n);
            Instant firstSession = sessions(bundle).get(0).getEffectivePeriod().getStart().toInstant();
            List<QuestionnaireResponse> phq9 = responses(bundle, PHQ9);
            List<Integer> totals = phq9.stream().map(DemoClinicTest::phq9Total).toList();
            int baseline = totals.get(0);
            Instant baselineAt = phq9.get(0).getAuthored().toInstant();
            String who = "patient " + n + " " + plan + " " + totals;

            assertThat(baselineAt).as(who).isBefore(firstSession).isAfter(firstSession.minus(Duration.ofDays(14)));
            int latest = totals.get(totals.size() - 1);
            switch (plan.trajectory()) {
                case REMITTER -> assertThat(latest).as(who).isLessThan(5);
                case RESPONDER -> assertThat(latest).as(who).isBetween(5, baseline / 2);
                case NON_RESPONDER -> assertThat(totals).as(who).allMatch(t -> t * 2 > baseline);
                case RELAPSE -> {
                    assertThat(totals).as(who).anyMatch(t -> t * 2 <= baseline);
                    // loss of response: the last two assessments both above half the baseline
                    assertThat(totals.get(totals.size() - 2) * 2).as(who).isGreaterThan(baseline);
                    assertThat(latest * 2).as(who).isGreaterThan(baseline);
                }
                default -> throw new IllegalStateException();
            }
            // follow-up from 3 to 12 months after the first session
            Instant last = phq9.get(phq9.size() - 1).getAuthored().toInstant();
            assertThat(Duration.between(firstSession, last).toDays()).as(who).isBetween(84L, 366L);
        }
    }

    @Test
    void aPositiveItem9ShouldBeFollowedByACssrsScreenerTheSameDay() {
        int positives = 0;
        for (int n = 1; n <= 150; n++) {
            Bundle bundle = clinic.patient(n);
            List<String> cssrsDays = responses(bundle, CSSRS).stream()
                    .map(r -> r.getAuthoredElement().getValueAsString().substring(0, 10)).toList();
            for (QuestionnaireResponse phq9 : responses(bundle, PHQ9)) {
                int item9 = PHQ9_WEIGHTS.get(phq9.getItem().stream().filter(i -> i.getLinkId().equals("44260-8"))
                        .findFirst().orElseThrow().getAnswerFirstRep().getValueCoding().getCode());
                if (item9 > 0) {
                    positives++;
                    assertThat(cssrsDays).contains(phq9.getAuthoredElement().getValueAsString().substring(0, 10));
                }
            }
        }
        assertThat(positives).isPositive();
    }

    @Test
    void esketamineCoursesShouldStartAt56mgAndKeepToTwoSessionsAWeekInWeeks1To4() {
        int courses = 0;
        for (int n = 1; n <= 200; n++) {
            if (clinic.plan(n).route() != Route.ESKETAMINE) {
                continue;
            }
            courses++;
            List<MedicationAdministration> sessions = sessions(clinic.patient(n));
            int first = sessions.get(0).getDosage().getDose().getValue().intValue();
            // US label, the server's default: 56 mg on day 1 at any age (the 28 mg start from 65 is an opt-in rule)
            assertThat(first).as("first esketamine dose of demo patient %d", n).isEqualTo(56);
            Instant start = sessions.get(0).getEffectivePeriod().getStart().toInstant();
            Map<Long, Long> perWeek = sessions.stream()
                    .map(s -> Duration.between(start, s.getEffectivePeriod().getStart().toInstant()).toDays() / 7)
                    .filter(week -> week < 4)
                    .collect(Collectors.groupingBy(w -> w, Collectors.counting()));
            assertThat(perWeek.values()).allMatch(count -> count <= 2);
            assertThat(sessions).allSatisfy(s -> {
                int mg = s.getDosage().getDose().getValue().intValue();
                assertThat(mg % 28).isZero();
                assertThat(mg).isBetween(28, 84);
            });
        }
        assertThat(courses).isPositive();
    }

    @Test
    void ivDosesShouldStayAtOrBelow075MgPerKgOfTheWeightRecordedWithin30Days() {
        for (int n = 1; n <= 100; n++) {
            if (clinic.plan(n).route() != Route.IV) {
                continue;
            }
            Bundle bundle = clinic.patient(n);
            List<Observation> weights = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(Observation.class::isInstance).map(Observation.class::cast)
                    .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("29463-7")).toList();
            for (MedicationAdministration session : sessions(bundle)) {
                Instant start = session.getEffectivePeriod().getStart().toInstant();
                Observation weight = weights.stream()
                        .filter(w -> !w.getEffectiveDateTimeType().getValue().toInstant().isAfter(start))
                        .reduce((a, b) -> b).orElseThrow();
                assertThat(Duration.between(weight.getEffectiveDateTimeType().getValue().toInstant(), start).toDays())
                        .isLessThanOrEqualTo(30);
                double mgPerKg = session.getDosage().getDose().getValue().doubleValue()
                        / weight.getValueQuantity().getValue().doubleValue();
                assertThat(mgPerKg).isLessThanOrEqualTo(0.75);
            }
        }
    }

    @Test
    void theHeavyPatientShouldHave40SessionsAnd200ScoredResponses() {
        Bundle heavy = clinic.heavyPatient();
        assertThat(sessions(heavy)).hasSize(40);
        long scored = heavy.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(QuestionnaireResponse.class::isInstance).map(QuestionnaireResponse.class::cast)
                .filter(r -> !r.getQuestionnaire().equals(CSSRS)).count();
        assertThat(scored).isEqualTo(200);
        assertThat(heavy.getEntryFirstRep().getRequest().getUrl()).isEqualTo("Patient/demo-42-heavy");
    }

    private static double share(Integer count, int total) {
        return count == null ? 0 : count / (double) total;
    }

    private static List<MedicationAdministration> sessions(Bundle bundle) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(MedicationAdministration.class::isInstance).map(MedicationAdministration.class::cast).toList();
    }

    private static List<QuestionnaireResponse> responses(Bundle bundle, String questionnaire) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(QuestionnaireResponse.class::isInstance).map(QuestionnaireResponse.class::cast)
                .filter(r -> r.getQuestionnaire().equals(questionnaire)).toList();
    }

    private static int phq9Total(QuestionnaireResponse response) {
        return response.getItem().stream()
                .mapToInt(i -> PHQ9_WEIGHTS.get(i.getAnswerFirstRep().getValueCoding().getCode())).sum();
    }
}
