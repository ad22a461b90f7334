package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

/**
 * FHIR R4 search (search.html) end to end: parameter types, includes, chaining, {@code _has}, sorting, paging and
 * the result-shaping parameters. Every test searches only data it created itself (unique family names, codes
 * and identifiers), so the shared database never changes an expected result.
 */
class SearchIT extends FhirServerTestBase {

    private static final String TEST_SYSTEM = "urn:ketafhir:test";
    private static final String LOINC = "http://loinc.org";
    private static final String PHQ9_TOTAL = "44261-6";
    private static final String GAD7_TOTAL = "70274-6";
    private static final String UCUM = "http://unitsofmeasure.org";
    private static final String SUBSETTED = "SUBSETTED";

    // ---------------------------------------------------------------- parameter types

    @Test
    void tokenSearchShouldMatchSystemAndCodeExactly() {
        String family = unique("Token");
        IdType patient = createPatient(family, null);
        String code = unique("code");
        IdType matching = createObservation(patient, TEST_SYSTEM, code, "2024-01-01T10:00:00Z", null);
        createObservation(patient, TEST_SYSTEM, unique("other"), "2024-01-01T10:00:00Z", null);
        createObservation(patient, "urn:ketafhir:another-system", code, "2024-01-01T10:00:00Z", null);

        assertThat(ids(search("Observation?code=" + TEST_SYSTEM + "|" + code)))
                .containsExactly(versionless(matching));
        // a code without a system matches it in any system
        assertThat(search("Observation?code=" + code).getEntry()).hasSize(2);

        Patient stored = client().read().resource(Patient.class).withId(patient.getIdPart()).execute();
        String mrn = stored.getIdentifierFirstRep().getValue();
        assertThat(ids(search("Patient?identifier=" + TEST_SYSTEM + "|" + mrn))).containsExactly(versionless(patient));
        assertThat(search("Patient?identifier=urn:ketafhir:wrong-system|" + mrn).getEntry()).isEmpty();
    }

    @Test
    void stringSearchShouldMatchPrefixesIgnoringCaseAndAccentsButExactOnlyWhenAskedTo() {
        String suffix = unique("");
        String family = "Zoë" + suffix;
        IdType patient = createPatient(family, null);

        // string search is "starts with", case- and accent-insensitive (search.html#string)
        assertThat(ids(search("Patient?family=zoe" + suffix))).containsExactly(versionless(patient));
        assertThat(ids(search("Patient?family=ZOE" + suffix.substring(0, 10)))).contains(versionless(patient));
        assertThat(searchFamilyExactly("zoe" + suffix).getEntry()).isEmpty();
        assertThat(searchFamilyExactly("zoë" + suffix).getEntry()).isEmpty();
        assertThat(ids(searchFamilyExactly(family))).containsExactly(versionless(patient));
        assertThat(search("Patient?family=" + suffix.substring(1)).getEntry())
                .as("the prefix must match the start of the name, not its middle")
                .isEmpty();
    }

    @Test
    void dateSearchShouldHonourPrefixesAndPrecision() {
        String family = unique("Date");
        createPatient(family, "1970-01-01");
        IdType born1985 = createPatient(family, "1985-06-15");
        IdType born2001 = createPatient(family, "2001-12-31");

        assertThat(ids(search("Patient?family=" + family + "&birthdate=ge1980-01-01&birthdate=lt2000-01-01")))
                .containsExactly(versionless(born1985));
        assertThat(ids(search("Patient?family=" + family + "&birthdate=1985"))).containsExactly(versionless(born1985));
        assertThat(ids(search("Patient?family=" + family + "&birthdate=gt2001-12-30")))
                .containsExactly(versionless(born2001));
        assertThat(search("Patient?family=" + family + "&birthdate=2001-12-30").getEntry()).isEmpty();
    }

    @Test
    void referenceSearchShouldFindOnlyTheResourcesPointingAtTheGivenTarget() {
        String code = unique("ref");
        IdType alice = createPatient(unique("RefAlice"), null);
        IdType bob = createPatient(unique("RefBob"), null);
        IdType aliceObservation = createObservation(alice, TEST_SYSTEM, code, "2024-02-01T08:00:00Z", null);
        IdType bobObservation = createObservation(bob, TEST_SYSTEM, code, "2024-02-01T08:00:00Z", null);

        assertThat(ids(search("Observation?subject=Patient/" + alice.getIdPart())))
                .containsExactly(versionless(aliceObservation));
        assertThat(ids(search("Observation?patient=" + bob.getIdPart())))
                .containsExactly(versionless(bobObservation));
    }

    @Test
    void quantitySearchShouldCompareValuesWithPrefixesAndUnits() {
        IdType patient = createPatient(unique("Quantity"), null);
        String code = unique("dose");
        IdType low = createObservation(patient, TEST_SYSTEM, code, "2024-03-01T09:00:00Z", mg(12));
        IdType high = createObservation(patient, TEST_SYSTEM, code, "2024-03-02T09:00:00Z", mg(30));

        String base = "Observation?code=" + TEST_SYSTEM + "|" + code;
        assertThat(ids(search(base + "&value-quantity=gt20|" + UCUM + "|mg"))).containsExactly(versionless(high));
        assertThat(ids(search(base + "&value-quantity=le12|" + UCUM + "|mg"))).containsExactly(versionless(low));
        assertThat(ids(search(base + "&value-quantity=30||mg"))).containsExactly(versionless(high));
        assertThat(search(base + "&value-quantity=gt20|" + UCUM + "|g").getEntry())
                .as("a different unit does not match without UCUM normalization")
                .isEmpty();
    }

    // ---------------------------------------------------------------- includes, chains, _has

    @Test
    void includeShouldAddTheReferencedPatientMarkedAsInclude() {
        IdType patient = createPatient(unique("Include"), null);
        String code = unique("inc");
        IdType observation = createObservation(patient, TEST_SYSTEM, code, "2024-04-01T10:00:00Z", null);

        Bundle bundle = search("Observation?code=" + TEST_SYSTEM + "|" + code + "&_include=Observation:subject");

        assertThat(bundle.getEntry()).hasSize(2);
        assertThat(idsWithMode(bundle, SearchEntryMode.MATCH)).containsExactly(versionless(observation));
        assertThat(idsWithMode(bundle, SearchEntryMode.INCLUDE)).containsExactly(versionless(patient));
    }

    @Test
    void revincludeShouldAddTheObservationsThatReferenceThePatient() {
        IdType patient = createPatient(unique("RevInclude"), null);
        IdType first = createObservation(patient, LOINC, PHQ9_TOTAL, "2024-04-01T10:00:00Z", null);
        IdType second = createObservation(patient, LOINC, GAD7_TOTAL, "2024-04-02T10:00:00Z", null);

        Bundle bundle = search("Patient?_id=" + patient.getIdPart() + "&_revinclude=Observation:subject");

        assertThat(idsWithMode(bundle, SearchEntryMode.MATCH)).containsExactly(versionless(patient));
        assertThat(idsWithMode(bundle, SearchEntryMode.INCLUDE))
                .containsExactlyInAnyOrder(versionless(first), versionless(second));
    }

    @Test
    void chainedSearchShouldFollowTheSubjectToItsIdentifierAndName() {
        String family = unique("Chain");
        IdType patient = createPatient(family, null);
        IdType other = createPatient(unique("ChainOther"), null);
        IdType observation = createObservation(patient, LOINC, PHQ9_TOTAL, "2024-05-01T10:00:00Z", null);
        createObservation(other, LOINC, PHQ9_TOTAL, "2024-05-01T10:00:00Z", null);
        String mrn = client().read().resource(Patient.class).withId(patient.getIdPart()).execute()
                .getIdentifierFirstRep().getValue();

        assertThat(ids(search("Observation?subject.identifier=" + TEST_SYSTEM + "|" + mrn)))
                .containsExactly(versionless(observation));
        assertThat(ids(search("Observation?subject:Patient.name=" + family)))
                .containsExactly(versionless(observation));
    }

    @Test
    void hasShouldFindPatientsByTheirObservations() {
        String family = unique("Has");
        IdType withCode = createPatient(family, null);
        IdType withoutCode = createPatient(family, null);
        String code = unique("has");
        createObservation(withCode, TEST_SYSTEM, code, "2024-05-02T10:00:00Z", null);
        createObservation(withoutCode, TEST_SYSTEM, unique("has-other"), "2024-05-02T10:00:00Z", null);

        assertThat(ids(search("Patient?_has:Observation:subject:code=" + TEST_SYSTEM + "|" + code)))
                .containsExactly(versionless(withCode));
        assertThat(ids(search("Patient?family=" + family)))
                .containsExactlyInAnyOrder(versionless(withCode), versionless(withoutCode));
    }

    // ---------------------------------------------------------------- sorting and paging

    @Test
    void sortShouldOrderByDateAscendingAndDescending() {
        IdType patient = createPatient(unique("Sort"), null);
        String code = unique("sort");
        IdType march = createObservation(patient, TEST_SYSTEM, code, "2024-03-05T10:00:00Z", null);
        IdType january = createObservation(patient, TEST_SYSTEM, code, "2024-01-10T10:00:00Z", null);
        IdType february = createObservation(patient, TEST_SYSTEM, code, "2024-02-20T10:00:00Z", null);

        String base = "Observation?code=" + TEST_SYSTEM + "|" + code;
        assertThat(ids(search(base + "&_sort=date")))
                .containsExactly(versionless(january), versionless(february), versionless(march));
        assertThat(ids(search(base + "&_sort=-date")))
                .containsExactly(versionless(march), versionless(february), versionless(january));
    }

    @Test
    void phq9HistoryOfOnePatientShouldComeBackInTimeOrder() {
        IdType patient = createPatient(unique("Phq9"), null);
        IdType otherPatient = createPatient(unique("Phq9Other"), null);
        // stored out of order, with a GAD-7 and another patient's PHQ-9 in between
        createObservation(patient, LOINC, PHQ9_TOTAL, "2024-06-20T09:30:00Z", score(7));
        createObservation(patient, LOINC, PHQ9_TOTAL, "2024-06-01T09:00:00Z", score(18));
        createObservation(patient, LOINC, GAD7_TOTAL, "2024-06-05T09:00:00Z", score(11));
        createObservation(otherPatient, LOINC, PHQ9_TOTAL, "2024-06-10T09:00:00Z", score(22));
        createObservation(patient, LOINC, PHQ9_TOTAL, "2024-07-15T14:00:00Z", score(4));
        createObservation(patient, LOINC, PHQ9_TOTAL, "2024-06-20T08:00:00Z", score(12));

        Bundle bundle = search("Observation?code=" + LOINC + "|" + PHQ9_TOTAL
                + "&subject=Patient/" + patient.getIdPart() + "&_sort=date");

        List<Observation> observations = resources(bundle, Observation.class);
        assertThat(observations).extracting(o -> o.getEffectiveDateTimeType().getValueAsString())
                .containsExactly("2024-06-01T09:00:00Z", "2024-06-20T08:00:00Z", "2024-06-20T09:30:00Z",
                        "2024-07-15T14:00:00Z");
        assertThat(observations).extracting(o -> o.getValueIntegerType().getValue()).containsExactly(18, 12, 7, 4);
    }

    @Test
    void pagingWithCountShouldVisitEveryMatchExactlyOnce() {
        String family = unique("Paging");
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(versionless(createPatient(family, null)));
        }

        Bundle page = search("Patient?family=" + family + "&_count=3");
        assertThat(page.getEntry()).hasSize(3);
        assertThat(page.getLink(Bundle.LINK_NEXT)).isNotNull();

        List<String> seen = new ArrayList<>(ids(page));
        int pages = 1;
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            assertThat(pages).as("paging must end").isLessThan(10);
            page = client().loadPage().next(page).execute();
            assertThat(page.getEntry()).hasSizeLessThanOrEqualTo(3);
            seen.addAll(ids(page));
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    }

    // ---------------------------------------------------------------- result shaping

    @Test
    void summaryCountShouldReturnOnlyTheTotal() {
        String family = unique("Count");
        for (int i = 0; i < 3; i++) {
            createPatient(family, null);
        }

        Bundle bundle = search("Patient?family=" + family + "&_summary=count");

        assertThat(bundle.getTotal()).isEqualTo(3);
        assertThat(bundle.getEntry()).isEmpty();
    }

    @Test
    void summaryTrueShouldDropNonSummaryElementsAndMarkTheResourceSubsetted() {
        String family = unique("Summary");
        Patient patient = newPatient(family, "1990-04-04");
        patient.getMaritalStatus().addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus").setCode("M");
        patient.addCommunication().getLanguage().addCoding().setSystem("urn:ietf:bcp:47").setCode("de");
        client().create().resource(patient).execute();

        Patient full = single(search("Patient?family=" + family), Patient.class);
        assertThat(full.hasMaritalStatus()).isTrue();
        assertThat(full.hasCommunication()).isTrue();

        Patient summary = single(search("Patient?family=" + family + "&_summary=true"), Patient.class);
        assertThat(summary.getNameFirstRep().getFamily()).isEqualTo(family);
        assertThat(summary.getBirthDateElement().getValueAsString()).isEqualTo("1990-04-04");
        assertThat(summary.hasMaritalStatus()).isFalse();
        assertThat(summary.hasCommunication()).isFalse();
        assertThat(summary.getMeta().getTag()).extracting(Coding::getCode).contains(SUBSETTED);
    }

    @Test
    void elementsShouldReturnOnlyTheRequestedElements() {
        String family = unique("Elements");
        client().create().resource(newPatient(family, "1975-07-07")).execute();

        Patient patient = single(search("Patient?family=" + family + "&_elements=name"), Patient.class);

        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo(family);
        assertThat(patient.hasBirthDate()).isFalse();
        assertThat(patient.hasIdentifier()).isFalse();
        assertThat(patient.hasGender()).isFalse();
        assertThat(patient.getMeta().getTag()).extracting(Coding::getCode).contains(SUBSETTED);
    }

    @Test
    void totalAccurateShouldCountAllMatchesNotJustThePage() {
        String family = unique("Total");
        for (int i = 0; i < 5; i++) {
            createPatient(family, null);
        }

        Bundle bundle = search("Patient?family=" + family + "&_count=2&_total=accurate");

        assertThat(bundle.getTotal()).isEqualTo(5);
        assertThat(bundle.getEntry()).hasSize(2);
    }

    @Test
    void textModifierShouldFindATokenByItsDisplayOrText() {
        String family = unique("TokenText");
        IdType patient = createPatient(family, null);
        String word = unique("anhedonia").toLowerCase();
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("Screening for " + word).addCoding()
                .setSystem(TEST_SYSTEM).setCode(unique("code")).setDisplay(word + " item");
        observation.setSubject(new Reference(patient.toUnqualifiedVersionless()));
        IdType stored = (IdType) client().create().resource(observation).execute().getId();

        assertThat(ids(search("Observation?subject=" + patient.toUnqualifiedVersionless().getValue()
                + "&code:text=" + word))).containsExactly(versionless(stored));
        assertThat(search("Observation?subject=" + patient.toUnqualifiedVersionless().getValue()
                + "&code:text=" + unique("absent")).getEntry()).isEmpty();
    }

    @Test
    void missingModifierShouldSeparateResourcesWithAndWithoutTheElement() {
        String family = unique("Missing");
        IdType withBirthDate = createPatient(family, "1999-09-09");
        IdType withoutBirthDate = createPatient(family, null);

        assertThat(ids(search("Patient?family=" + family + "&birthdate:missing=true")))
                .containsExactly(versionless(withoutBirthDate));
        assertThat(ids(search("Patient?family=" + family + "&birthdate:missing=false")))
                .containsExactly(versionless(withBirthDate));
    }

    // ---------------------------------------------------------------- helpers

    private static Patient newPatient(String family, String birthDate) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(TEST_SYSTEM).setValue(unique("mrn"));
        patient.addName().setFamily(family).addGiven("Sam");
        patient.setGender(AdministrativeGender.FEMALE);
        if (birthDate != null) {
            patient.setBirthDateElement(new DateType(birthDate));
        }
        return patient;
    }

    private IdType createPatient(String family, String birthDate) {
        return (IdType) client().create().resource(newPatient(family, birthDate)).execute().getId();
    }

    private IdType createObservation(IdType subject, String system, String code, String effective, Type value) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem(system).setCode(code);
        observation.setSubject(new Reference(subject.toUnqualifiedVersionless()));
        observation.setEffective(new DateTimeType(effective));
        observation.setValue(value);
        return (IdType) client().create().resource(observation).execute().getId();
    }

    private static Quantity mg(double value) {
        return new Quantity().setValue(value).setUnit("mg").setSystem(UCUM).setCode("mg");
    }

    private static IntegerType score(int score) {
        return new IntegerType(score);
    }

    private Bundle search(String relativeUrl) {
        return client().search().byUrl(relativeUrl).returnBundle(Bundle.class).execute();
    }

    /** Typed search, so the client URL-encodes the non-ASCII value. */
    private Bundle searchFamilyExactly(String family) {
        return client().search().forResource(Patient.class)
                .where(Patient.FAMILY.matchesExactly().value(family))
                .returnBundle(Bundle.class).execute();
    }

    private static String versionless(IdType id) {
        return id.toUnqualifiedVersionless().getValue();
    }

    private static String versionless(IBaseResource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> versionless(e.getResource())).toList();
    }

    private static List<String> idsWithMode(Bundle bundle, SearchEntryMode mode) {
        return bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == mode)
                .map(e -> versionless(e.getResource()))
                .toList();
    }

    private static <T extends IBaseResource> List<T> resources(Bundle bundle, Class<T> type) {
        assertThat(bundle.getEntry()).allSatisfy(e -> assertThat(e.getResource()).isInstanceOf(type));
        return bundle.getEntry().stream().map(e -> type.cast(e.getResource())).toList();
    }

    private static <T extends IBaseResource> T single(Bundle bundle, Class<T> type) {
        assertThat(bundle.getEntry()).hasSize(1);
        return resources(bundle, type).get(0);
    }
}
