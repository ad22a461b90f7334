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
 * The README's run command, {@code src/main/scripts/run}, as a user starts it: it makes a class cache for the build
 * once (an ahead-of-time cache on Java 25, a class-data-sharing archive on Java 17) and starts with it, on the Java it
 * finds and on the Java it is told to use.
 */
class RunCommandIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern PREPARED =
            Pattern.compile("ketafhir: prepared for Java (\\d+) \\(([^)]+)\\), with the start-up cache (\\S+)");

    @Test
    void shouldStartWithTheClassCacheItMadeForThisBuildOnTheJavaItFinds() throws Exception {
        startsWithItsCache("run-found-java", Map.of());
    }

    /** KETAFHIR_JAVA set to the Java the build runs on: Java 17, where the cache is a class-data-sharing archive. */
    @Test
    void shouldStartOnTheJavaItIsToldToUseWithTheCacheItMadeForIt() throws Exception {
        String buildJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        startsWithItsCache("run-build-java", Map.of("KETAFHIR_JAVA", buildJava));
    }

    private static void startsWithItsCache(String name, Map<String, String> environment) throws Exception {
        assertThat(ServerProcess.runCommandToExit(name + "-prepare", environment, "prepare")).isZero();
        String said = ServerProcess.lastLog(name + "-prepare");
        Matcher prepared = PREPARED.matcher(said);
        assertThat(prepared.find()).as(said).isTrue();
        int java = Integer.parseInt(prepared.group(1));
        Path cache = Path.of(prepared.group(3));
        // made for this build, by a training start that posted the demo clinic's first patients
        assertThat(cache.getFileName()).hasToString("ketafhir-java" + java + (java >= 25 ? ".aot" : ".jsa"));
        assertThat(Files.getLastModifiedTime(cache))
                .isGreaterThan(Files.getLastModifiedTime(Path.of(System.getProperty("ketafhir.it.jar"))));
        if (said.contains("making the start-up cache")) {
            assertThat(Files.readString(Path.of("target", "aot-training.log"))).contains("demo: loaded 4 patients");
        }

        try (ServerProcess server = ServerProcess.startByRunCommand(name, environment,
                TestDatabase.fresh(name.replace('-', '_')))) {
            assertThat(server.log()).contains(
                    "ketafhir: starting on Java " + java + " (" + prepared.group(2) + ") with the start-up cache");
            assertThat(server.log()).doesNotContain("[error][aot]").doesNotContain("[error][cds]");
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
