package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

/**
 * Requests a client gets wrong: each is refused with the precise 4xx code, an OperationOutcome that says what
 * is wrong, no internals (stack traces, exception class names, SQL, table names), and nothing stored.
 */
class BadInputIT extends FhirServerTestBase {

    private static final String TEST_SYSTEM = "urn:ketafhir:test";
    private static final String JSON = "application/fhir+json";
    private static final String XML = "application/fhir+xml";
    /** What must never reach a client: Java internals and SQL. */
    private static final List<String> INTERNALS = List.of("at ca.uhn", "Exception", "java.", "HFJ_");
    private static final List<String> SQL = List.of("select ", "insert ", "update hfj", "delete from");

    // ---------------------------------------------------------------- unparseable bodies

    @Test
    void malformedJsonShouldAnswer400AndStoreNothing() {
        String mrn = unique("mrn");
        String truncated = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + TEST_SYSTEM
                + "\",\"value\":\"" + mrn + "\"}],\"name\":[{\"family\":\"Broken\"}";

        HttpResponse<String> response = http("POST", "/Patient", truncated, "Content-Type", JSON, "Accept", JSON);

        assertRefused(response, 400, "JSON");
        assertNoPatientWith(mrn);
    }

    @Test
    void malformedXmlShouldAnswer400AndStoreNothing() {
        String mrn = unique("mrn");
        String mismatchedTags = "<Patient xmlns=\"http://hl7.org/fhir\"><identifier><system value=\"" + TEST_SYSTEM
                + "\"/><value value=\"" + mrn + "\"/></identifier><name><family value=\"Broken\"/></Patient>";

        HttpResponse<String> response = http("POST", "/Patient", mismatchedTags, "Content-Type", XML, "Accept", XML);

        assertRefused(response, 400, "XML");
        assertNoPatientWith(mrn);
    }

    // ---------------------------------------------------------------- well-formed but not FHIR

    @Test
    void unknownElementShouldAnswer400NamingTheElementAndStoreNothing() {
        String mrn = unique("mrn");
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + TEST_SYSTEM
                + "\",\"value\":\"" + mrn + "\"}],\"favouriteColour\":\"blue\"}";

        HttpResponse<String> response = postJson("/Patient", body, "Accept", JSON);

        assertRefused(response, 400, "favouriteColour");
        assertNoPatientWith(mrn);
    }

    @Test
    void primitiveWhereAnArrayOfObjectsBelongsShouldAnswer400AndStoreNothing() {
        String mrn = unique("mrn");
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + TEST_SYSTEM
                + "\",\"value\":\"" + mrn + "\"}],\"name\":\"Smith\"}";

        HttpResponse<String> response = postJson("/Patient", body, "Accept", JSON);

        assertRefused(response, 400, "name");
        assertNoPatientWith(mrn);
    }

    @Test
    void invalidCodeForARequiredBindingShouldAnswer400AndStoreNothing() {
        String mrn = unique("mrn");
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + TEST_SYSTEM
                + "\",\"value\":\"" + mrn + "\"}],\"gender\":\"not-a-gender\"}";

        HttpResponse<String> response = postJson("/Patient", body, "Accept", JSON);

        assertRefused(response, 400, "not-a-gender");
        assertNoPatientWith(mrn);
    }

    @Test
    void bodyOfAnUnknownResourceTypeShouldAnswer400AndStoreNothing() {
        HttpResponse<String> response = postJson("/Patient", "{\"resourceType\":\"Medicament\",\"id\":\"x\"}",
                "Accept", JSON);

        assertRefused(response, 400, "Medicament");
    }

    // ---------------------------------------------------------------- URLs the server cannot serve

    @Test
    void unknownResourceTypeShouldAnswer404() {
        assertRefused(getRaw("/Medicament?name=x", "Accept", JSON), 404, "Medicament");
        assertRefused(postJson("/Medicament", "{\"resourceType\":\"Medicament\"}", "Accept", JSON), 404, "Medicament");
    }

    @Test
    void readOfAnInvalidIdShouldAnswer400() {
        assertRefused(getRaw("/Patient/a_b", "Accept", JSON), 400, "a_b");
    }

    @Test
    void updateToAnInvalidIdShouldAnswer400AndStoreNothing() {
        String mrn = unique("mrn");
        String body = "{\"resourceType\":\"Patient\",\"id\":\"a_b\",\"identifier\":[{\"system\":\"" + TEST_SYSTEM
                + "\",\"value\":\"" + mrn + "\"}]}";

        HttpResponse<String> response = putJson("/Patient/a_b", body, "Accept", JSON);

        assertRefused(response, 400, "a_b");
        assertNoPatientWith(mrn);
    }

    @Test
    void updateWhoseBodyIdDiffersFromTheUrlIdShouldAnswer400AndStoreNothing() {
        String mrn = unique("mrn");
        String urlId = unique("url");
        String bodyId = unique("body");
        String body = "{\"resourceType\":\"Patient\",\"id\":\"" + bodyId + "\",\"identifier\":[{\"system\":\""
                + TEST_SYSTEM + "\",\"value\":\"" + mrn + "\"}]}";

        HttpResponse<String> response = putJson("/Patient/" + urlId, body, "Accept", JSON);

        assertRefused(response, 400, urlId, bodyId);
        assertNoPatientWith(mrn);
        assertThat(getRaw("/Patient/" + urlId, "Accept", JSON).statusCode()).isEqualTo(404);
        assertThat(getRaw("/Patient/" + bodyId, "Accept", JSON).statusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- invalid search requests

    @Test
    void unparseableDateInASearchShouldAnswer400() {
        assertRefused(getRaw("/Patient?birthdate=notadate", "Accept", JSON), 400, "notadate");
    }

    @Test
    void nonNumericCountShouldAnswer400() {
        assertRefused(getRaw("/Patient?_count=abc", "Accept", JSON), 400, "_count", "abc");
    }

    @Test
    void unknownSearchParameterShouldAnswer400NamingIt() {
        assertRefused(getRaw("/Patient?favourite-colour=blue", "Accept", JSON), 400, "favourite-colour");
    }

    // ---------------------------------------------------------------- media types

    @Test
    void unsupportedContentTypeShouldAnswer415AndStoreNothing() {
        String mrn = unique("mrn");
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + TEST_SYSTEM
                + "\",\"value\":\"" + mrn + "\"}]}";

        HttpResponse<String> response = http("POST", "/Patient", body, "Content-Type", "text/plain", "Accept", JSON);

        assertRefused(response, 415, "text/plain");
        assertNoPatientWith(mrn);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The response has exactly {@code status}, carries an OperationOutcome with an error whose diagnostics
     * mention every one of {@code mentions}, and leaks nothing of the server's internals.
     */
    private static OperationOutcome assertRefused(HttpResponse<String> response, int status, String... mentions) {
        String request = response.request().method() + " " + response.request().uri();
        assertThat(response.statusCode()).as("%s answered %s", request, response.body()).isEqualTo(status);
        String body = response.body();
        assertThat(body).as(request).isNotBlank();
        for (String internal : INTERNALS) {
            assertThat(body).as("%s must not leak internals", request).doesNotContain(internal);
        }
        for (String statement : SQL) {
            assertThat(body).as("%s must not leak SQL", request).doesNotContainIgnoringCase(statement);
        }

        OperationOutcome outcome = parseOutcome(response);
        assertThat(outcome.getIssue()).as(request).anySatisfy(issue -> assertThat(issue.getSeverity())
                .isIn(IssueSeverity.ERROR, IssueSeverity.FATAL));
        String diagnostics = outcome.getIssue().stream()
                .map(OperationOutcomeIssueComponent::getDiagnostics)
                .collect(Collectors.joining("\n"));
        for (String mention : mentions) {
            assertThat(diagnostics).as("%s: diagnostics say what is wrong", request).containsIgnoringCase(mention);
        }
        return outcome;
    }

    private static OperationOutcome parseOutcome(HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        IBaseResource parsed = contentType.contains("xml")
                ? FHIR.newXmlParser().parseResource(response.body())
                : FHIR.newJsonParser().parseResource(response.body());
        assertThat(parsed).isInstanceOf(OperationOutcome.class);
        return (OperationOutcome) parsed;
    }

    private void assertNoPatientWith(String mrn) {
        Bundle found = client().search().byUrl("Patient?identifier=" + TEST_SYSTEM + "|" + mrn)
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as("nothing stored with identifier %s", mrn).isEmpty();
    }
}
