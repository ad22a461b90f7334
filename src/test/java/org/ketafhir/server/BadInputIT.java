package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

    // ---------------------------------------------------------------- Patients the server must not store

    /**
     * A write of a Patient the server must refuse. The body carries an identifier no other test uses ({@code mrn}),
     * so that "nothing stored" can be checked by searching for it.
     */
    record PatientWrite(String method, String path, String contentType, String accept, Function<String, String> body,
            int status, List<String> mentions) {}

    static Stream<Arguments> patientWritesToRefuse() {
        return Stream.of(
                // unparseable bodies
                argumentSet("malformed JSON: 400 naming JSON", new PatientWrite("POST", "/Patient", JSON, JSON,
                        mrn -> "{\"resourceType\":\"Patient\"," + identifier(mrn) + ",\"name\":[{\"family\":\"Broken\"}",
                        400, List.of("JSON"))),
                argumentSet("malformed XML (mismatched tags): 400 naming XML", new PatientWrite("POST", "/Patient", XML, XML,
                        mrn -> "<Patient xmlns=\"http://hl7.org/fhir\"><identifier><system value=\"" + TEST_SYSTEM
                                + "\"/><value value=\"" + mrn + "\"/></identifier><name><family value=\"Broken\"/></Patient>",
                        400, List.of("XML"))),
                // well-formed but not FHIR
                argumentSet("unknown element: 400 naming the element", new PatientWrite("POST", "/Patient", JSON, JSON,
                        mrn -> "{\"resourceType\":\"Patient\"," + identifier(mrn) + ",\"favouriteColour\":\"blue\"}",
                        400, List.of("favouriteColour"))),
                argumentSet("a string where an array of HumanName belongs: 400 naming the element",
                        new PatientWrite("POST", "/Patient", JSON, JSON,
                                mrn -> "{\"resourceType\":\"Patient\"," + identifier(mrn) + ",\"name\":\"Smith\"}",
                                400, List.of("name"))),
                argumentSet("a code outside a required binding: 400 naming the code", new PatientWrite("POST", "/Patient", JSON, JSON,
                        mrn -> "{\"resourceType\":\"Patient\"," + identifier(mrn) + ",\"gender\":\"not-a-gender\"}",
                        400, List.of("not-a-gender"))),
                // an id FHIR does not allow
                argumentSet("update to an invalid id: 400 naming the id", new PatientWrite("PUT", "/Patient/a_b", JSON, JSON,
                        mrn -> "{\"resourceType\":\"Patient\",\"id\":\"a_b\"," + identifier(mrn) + "}",
                        400, List.of("a_b"))),
                // media types
                argumentSet("unsupported Content-Type: 415 naming the media type",
                        new PatientWrite("POST", "/Patient", "text/plain", JSON,
                                mrn -> "{\"resourceType\":\"Patient\"," + identifier(mrn) + "}",
                                415, List.of("text/plain"))));
    }

    @ParameterizedTest
    @MethodSource("patientWritesToRefuse")
    void aPatientWriteTheServerCannotAcceptShouldBeRefusedNamingWhatIsWrongAndStoreNothing(PatientWrite write) {
        String mrn = unique("mrn");

        HttpResponse<String> response = http(write.method(), write.path(), write.body().apply(mrn),
                "Content-Type", write.contentType(), "Accept", write.accept());

        assertRefused(response, write.status(), write.mentions().toArray(String[]::new));
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

    // ---------------------------------------------------------------- requests the server cannot serve

    /** A request with nothing in it to store: a read, a search, or a body of a type the server does not know. */
    record Request(String method, String path, String jsonBody, int status, List<String> mentions) {}

    static Stream<Arguments> requestsToRefuse() {
        return Stream.of(
                // URLs the server cannot serve
                argumentSet("search of an unknown resource type: 404 naming the type",
                        new Request("GET", "/Medicament?name=x", null, 404, List.of("Medicament"))),
                argumentSet("create of an unknown resource type: 404 naming the type",
                        new Request("POST", "/Medicament", "{\"resourceType\":\"Medicament\"}", 404, List.of("Medicament"))),
                argumentSet("a body of an unknown resource type posted to /Patient: 400 naming the type",
                        new Request("POST", "/Patient", "{\"resourceType\":\"Medicament\",\"id\":\"x\"}", 400,
                                List.of("Medicament"))),
                argumentSet("read of an invalid id: 400 naming the id",
                        new Request("GET", "/Patient/a_b", null, 400, List.of("a_b"))),
                // invalid search requests
                argumentSet("an unparseable date in a search: 400 naming the value",
                        new Request("GET", "/Patient?birthdate=notadate", null, 400, List.of("notadate"))),
                argumentSet("a non-numeric _count: 400 naming the parameter and the value",
                        new Request("GET", "/Patient?_count=abc", null, 400, List.of("_count", "abc"))),
                argumentSet("an unknown search parameter: 400 naming it",
                        new Request("GET", "/Patient?favourite-colour=blue", null, 400, List.of("favourite-colour"))));
    }

    @ParameterizedTest
    @MethodSource("requestsToRefuse")
    void aRequestTheServerCannotServeShouldBeRefusedNamingWhatIsWrong(Request request) {
        HttpResponse<String> response = request.jsonBody() == null
                ? http(request.method(), request.path(), null, "Accept", JSON)
                : http(request.method(), request.path(), request.jsonBody(), "Content-Type", JSON, "Accept", JSON);

        assertRefused(response, request.status(), request.mentions().toArray(String[]::new));
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

    /** The JSON member that gives a Patient the test identifier {@code mrn}. */
    private static String identifier(String mrn) {
        return "\"identifier\":[{\"system\":\"" + TEST_SYSTEM + "\",\"value\":\"" + mrn + "\"}]";
    }

    private void assertNoPatientWith(String mrn) {
        Bundle found = client().search().byUrl("Patient?identifier=" + TEST_SYSTEM + "|" + mrn)
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as("nothing stored with identifier %s", mrn).isEmpty();
    }
}
