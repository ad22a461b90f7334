package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ConditionalDeleteStatus;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * What the server says about itself: the CapabilityStatement (FHIR R4 capabilitystatement.html), the
 * Spring Boot health probes outside {@code /fhir}, and the OpenAPI description.
 */
class ConformanceIT extends FhirServerTestBase {

    private static final HttpClient ROOT_HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void capabilityStatementShouldDeclareFhirR4() {
        CapabilityStatement statement = capabilityStatement();

        assertThat(statement.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(statement.getKind()).isEqualTo(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        assertThat(statement.getFormat()).extracting(f -> f.getValue())
                .anySatisfy(f -> assertThat(f).contains("json"))
                .anySatisfy(f -> assertThat(f).contains("xml"));
        assertThat(server(statement).getMode()).isEqualTo(CapabilityStatement.RestfulCapabilityMode.SERVER);
    }

    @Test
    void patientShouldOfferEveryInstanceAndTypeInteraction() {
        CapabilityStatementRestResourceComponent patient = resource(capabilityStatement(), "Patient");

        assertThat(patient.getInteraction()).extracting(i -> i.getCode().toCode())
                .contains("read", "vread", "update", "patch", "delete", "history-instance", "history-type",
                        "create", "search-type");
    }

    @Test
    void patientShouldSupportConditionalCreateUpdateAndDelete() {
        CapabilityStatementRestResourceComponent patient = resource(capabilityStatement(), "Patient");

        assertThat(patient.getConditionalCreate()).isTrue();
        assertThat(patient.getConditionalUpdate()).isTrue();
        assertThat(patient.getConditionalDelete()).isIn(ConditionalDeleteStatus.SINGLE, ConditionalDeleteStatus.MULTIPLE);
    }

    @Test
    void patientShouldListValidateEverythingMetaAndExport() {
        CapabilityStatementRestResourceComponent patient = resource(capabilityStatement(), "Patient");

        assertThat(operationNames(patient.getOperation())).contains("validate", "everything", "meta", "export");
    }

    @Test
    void groupAndSystemShouldListExport() {
        CapabilityStatement statement = capabilityStatement();

        assertThat(operationNames(resource(statement, "Group").getOperation())).contains("export");
        assertThat(operationNames(server(statement).getOperation())).contains("export");
    }

    @Test
    void systemShouldOfferTransactionBatchAndHistory() {
        CapabilityStatementRestComponent server = server(capabilityStatement());

        assertThat(server.getInteraction()).extracting(i -> i.getCode().toCode())
                .contains("transaction", "batch", "history-system");
    }

    @Test
    void healthShouldBeUpWithLivenessAndReadinessProbes() throws Exception {
        HttpResponse<String> health = getFromRoot("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");

        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> response = getFromRoot(probe);
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("status").asText()).as(probe).isEqualTo("UP");
        }
    }

    @Test
    void openApiDescriptionShouldDescribeThePatientPaths() throws Exception {
        HttpResponse<String> response = getRaw("/api-docs");

        // HAPI's OpenApiInterceptor serves the description as YAML (a JSON document is also YAML)
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("yaml"));
        LoaderOptions largeDocument = new LoaderOptions();
        largeDocument.setCodePointLimit(64 * 1024 * 1024); // the description of ~150 resource types is ~4 MB
        JsonNode description = new ObjectMapper(YAMLFactory.builder().loaderOptions(largeDocument).build())
                .readTree(response.body());
        assertThat(description.path("openapi").asText()).startsWith("3.");
        assertThat(description.path("paths").has("/Patient")).isTrue();
        assertThat(description.path("paths").has("/Patient/{id}")).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private CapabilityStatement capabilityStatement() {
        HttpResponse<String> response = getRaw("/metadata", "Accept", "application/fhir+json");
        assertThat(response.statusCode()).isEqualTo(200);
        return parse(CapabilityStatement.class, response.body());
    }

    private static CapabilityStatementRestComponent server(CapabilityStatement statement) {
        assertThat(statement.getRest()).hasSize(1);
        return statement.getRestFirstRep();
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatement statement, String type) {
        return server(statement).getResource().stream()
                .filter(r -> r.getType().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("CapabilityStatement has no " + type));
    }

    /** Operation names as the client invokes them, without the leading '$' some servers include. */
    private static List<String> operationNames(List<CapabilityStatementRestResourceOperationComponent> operations) {
        return operations.stream().map(o -> o.getName().replaceFirst("^\\$", "")).toList();
    }

    /** The actuator lives beside {@code /fhir}, at the root of the web server. */
    private HttpResponse<String> getFromRoot(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return ROOT_HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
