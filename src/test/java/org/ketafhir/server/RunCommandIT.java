package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.ServerProcess;
import org.ketafhir.testing.TestDatabase;

/**
 * The README's run command, {@code src/main/scripts/run}, as a user starts it: on the Java it finds (with a Java 25
 * on the machine, with the ahead-of-time class cache it makes for the build) and on Java 17 alone.
 */
class RunCommandIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern PREPARED = Pattern.compile("ketafhir: prepared for Java (\\d+) \\(([^)]+)\\)(.*)");

    @Test
    void shouldStartWithTheClassCacheItMadeForThisBuildOnTheJavaItFinds() throws Exception {
        assertThat(ServerProcess.runCommandToExit("run-prepare", Map.of(), "prepare")).isZero();
        Matcher prepared = PREPARED.matcher(ServerProcess.lastLog("run-prepare"));
        assertThat(prepared.find()).as(ServerProcess.lastLog("run-prepare")).isTrue();
        int java = Integer.parseInt(prepared.group(1));
        Path cache = Path.of("target", "ketafhir-java" + java + ".aot");
        Path jar = Path.of(System.getProperty("ketafhir.it.jar"));
        if (java >= 25) {
            // made for this build: newer than the jar, by a training start that posted the demo clinic's patients
            assertThat(prepared.group(3)).contains("with the start-up cache");
            assertThat(Files.getLastModifiedTime(cache)).isGreaterThan(Files.getLastModifiedTime(jar));
            assertThat(Files.readString(Path.of("target", "aot-training.log"))).contains("demo: loaded 4 patients");
        } else {
            assertThat(prepared.group(3)).as("no cache before Java 25").isEmpty();
        }

        try (ServerProcess server = ServerProcess.startByRunCommand("run-found-java", Map.of(),
                TestDatabase.fresh("run-found-java"))) {
            assertThat(server.log()).contains("ketafhir: starting on Java " + java + " (" + prepared.group(2) + ")"
                    + (java >= 25 ? " with the start-up cache" : "\n"));
            assertThat(server.log()).doesNotContain("[error][aot]");
            storesAndReadsAPatient(server);
        }
    }

    @Test
    void shouldStartOnJava17WithoutACache() throws Exception {
        String java17 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (ServerProcess server = ServerProcess.startByRunCommand("run-java17", Map.of("KETAFHIR_JAVA", java17),
                TestDatabase.fresh("run-java17"))) {
            assertThat(server.log()).contains("ketafhir: starting on Java " + Runtime.version().feature()
                    + " (" + java17 + ")\n");
            storesAndReadsAPatient(server);
        }
    }

    private static void storesAndReadsAPatient(ServerProcess server) throws Exception {
        String id = "run-" + UUID.randomUUID().toString().substring(0, 8);
        String patient = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Run\"}]}";
        assertThat(send(server.baseUrl() + "/Patient/" + id, "PUT", patient).statusCode()).isEqualTo(201);
        HttpResponse<String> read = send(server.baseUrl() + "/Patient/" + id, "GET", null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"family\":\"Run\"");
    }

    private static HttpResponse<String> send(String url, String method, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        TestDatabase.authorizationHeader().ifPresent(token -> request.header("Authorization", token));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
