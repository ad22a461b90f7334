package org.ketafhir.ig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.ServerProcess;
import org.ketafhir.testing.TestDatabase;

/**
 * A new version of the guide on a database that already holds the old one and records written under it, as a
 * clinic upgrading the server meets it: the new package is installed at the next start (its digest differs), a
 * write posted from the moment the port answers gets 503 until then and the changed profile's refusal after (no
 * validator cache keeps the old one), the records
 * stored under the old guide stay, and a start with the same package again installs nothing.
 *
 * <p>The new version tightens one rule of the built package: a treatment consent must name the organization that
 * holds it ({@code Consent.organization} 1..*, in the profile's differential and snapshot).
 */
class GuideUpgradeIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BUILT_PACKAGE = Path.of("target", "classes", "ig-package", "ketafhir.ig-0.1.0.tgz");
    private static final String CONSENT_PROFILE = "StructureDefinition-treatment-consent.json";

    @Test
    void shouldInstallANewGuideVersionOverTheOldOneAndEnforceItFromTheFirstRequest() throws Exception {
        Map<String, String> database = TestDatabase.fresh("guide_upgrade");
        String before;
        try (ServerProcess first = ServerProcess.start("guide-upgrade-first", database)) {
            assertThat(first.log()).contains("Implementation guide ketafhir.ig#0.1.0 installed");
            storeParties(first);
            HttpResponse<String> stored = post(first, "Consent", consent(false));
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
            before = id(stored);
        }

        Path upgraded = upgradedPackage();
        Map<String, String> withUpgrade = new LinkedHashMap<>(database);
        withUpgrade.put("ketafhir.ig.package-resource", upgraded.toUri().toString());
        try (ServerProcess second = ServerProcess.startAndAwaitPort("guide-upgrade-second", withUpgrade)) {
            // posted from the moment the port answers, as an interface engine does: 503 while the new guide is
            // installed, then the new rule's refusal; never a consent stored under the old rule
            HttpResponse<String> refused = postUntilReady(second, consent(false));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains("OperationOutcome").contains("Consent.organization");
            assertThat(second.log()).contains("Implementation guide ketafhir.ig#0.2.0 installed");

            assertThat(post(second, "Consent", consent(true)).statusCode()).isEqualTo(201);
            assertThat(get(second, "Consent/" + before).statusCode()).isEqualTo(200);
            // the old record and the one with its organization: nothing of the refused writes was stored
            assertThat(JSON.readTree(get(second, "Consent?_summary=count").body()).path("total").asInt()).isEqualTo(2);
            JsonNode profile = JSON.readTree(get(second, "StructureDefinition/treatment-consent").body());
            assertThat(element(profile.path("snapshot"), "Consent.organization").path("min").asInt()).isEqualTo(1);
            JsonNode guides = JSON.readTree(get(second,
                    "ImplementationGuide?url=http://ketafhir.org/fhir/ImplementationGuide/ketafhir").body());
            assertThat(guides.path("total").asInt()).isEqualTo(1);
            assertThat(guides.path("entry").get(0).path("resource").path("version").asText()).isEqualTo("0.2.0");
        }

        try (ServerProcess third = ServerProcess.start("guide-upgrade-third", withUpgrade)) {
            assertThat(third.log()).contains("Implementation guide ketafhir.ig#0.2.0 already installed");
            assertThat(post(third, "Consent", consent(false)).statusCode()).isEqualTo(422);
        }
    }

    /** The built package with its version raised to 0.2.0 and the consent profile's organization made required. */
    private static Path upgradedPackage() throws IOException {
        Path target = Files.createTempFile(Path.of("target"), "ketafhir.ig-0.2.0-", ".tgz");
        try (InputStream in = Files.newInputStream(BUILT_PACKAGE);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in));
                OutputStream out = Files.newOutputStream(target);
                TarArchiveOutputStream upgraded = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            upgraded.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                byte[] content = tar.readAllBytes();
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                if (name.equals("package.json") || name.startsWith("ImplementationGuide-")) {
                    ObjectNode json = (ObjectNode) JSON.readTree(content);
                    json.put("version", "0.2.0");
                    content = JSON.writeValueAsBytes(json);
                } else if (name.equals(CONSENT_PROFILE)) {
                    content = organizationRequired(content);
                }
                TarArchiveEntry copy = new TarArchiveEntry(entry.getName());
                copy.setSize(content.length);
                upgraded.putArchiveEntry(copy);
                upgraded.write(content);
                upgraded.closeArchiveEntry();
            }
        }
        return target;
    }

    private static byte[] organizationRequired(byte[] profile) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(profile);
        ((ObjectNode) element(json.path("snapshot"), "Consent.organization")).put("min", 1);
        ArrayNode differential = (ArrayNode) json.path("differential").path("element");
        JsonNode existing = element(json.path("differential"), "Consent.organization");
        if (existing.isMissingNode()) {
            differential.addObject().put("id", "Consent.organization").put("path", "Consent.organization")
                    .put("min", 1);
        } else {
            ((ObjectNode) existing).put("min", 1);
        }
        return JSON.writeValueAsBytes(json);
    }

    private static JsonNode element(JsonNode elements, String path) {
        for (JsonNode element : elements.path("element")) {
            if (element.path("path").asText().equals(path)) {
                return element;
            }
        }
        return MissingNode.getInstance();
    }

    /** The patient, the psychiatrist who obtained consent and the clinic the consent example refers to. */
    private static void storeParties(ServerProcess server) throws Exception {
        for (String party : new String[] {
                "{\"resourceType\":\"Patient\",\"id\":\"ketafhir-example-patient\",\"gender\":\"female\"}",
                "{\"resourceType\":\"Practitioner\",\"id\":\"ketafhir-example-psychiatrist\"}",
                "{\"resourceType\":\"Organization\",\"id\":\"ketafhir-example-clinic\",\"name\":\"Clinic\"}"}) {
            JsonNode resource = JSON.readTree(party);
            String url = resource.path("resourceType").asText() + "/" + resource.path("id").asText();
            HttpResponse<String> stored = send(server, HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + url))
                    .header("Content-Type", "application/fhir+json")
                    .PUT(HttpRequest.BodyPublishers.ofString(party)));
            assertThat(stored.statusCode()).as(stored.body()).isIn(200, 201);
        }
    }

    /** The guide's consent example as a new record, with or without the organization that holds it. */
    private static String consent(boolean withOrganization) throws IOException {
        ObjectNode consent = (ObjectNode) JSON.readTree(
                Path.of("fhir-profiles", "examples", "Consent-ketafhir-example-consent.json").toFile());
        consent.remove("id");
        if (!withOrganization) {
            consent.remove("organization");
        }
        return JSON.writeValueAsString(consent);
    }

    /** Posts the consent until the answer is no longer 503 (at most four minutes); every answer is 503 or final. */
    private static HttpResponse<String> postUntilReady(ServerProcess server, String consent) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            HttpResponse<String> answer = post(server, "Consent", consent);
            if (answer.statusCode() != 503 || System.nanoTime() > deadline) {
                return answer;
            }
            assertThat(answer.body()).contains("OperationOutcome");
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> post(ServerProcess server, String type, String body) throws Exception {
        return send(server, HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + type))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> get(ServerProcess server, String path) throws Exception {
        return send(server, HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + path)).GET());
    }

    private static HttpResponse<String> send(ServerProcess server, HttpRequest.Builder request) throws Exception {
        TestDatabase.authorizationHeader().ifPresent(value -> request.header("Authorization", value));
        return HTTP.send(request.header("Accept", "application/fhir+json").timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String id(HttpResponse<String> created) throws IOException {
        return JSON.readTree(created.body()).path("id").asText();
    }
}
