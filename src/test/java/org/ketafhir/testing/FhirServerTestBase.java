package org.ketafhir.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ketafhir.KetaFhirApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: the real server on a random port, on a fresh database, reached through HAPI's
 * generic client and plain HTTP. Every subclass shares one Spring context (same configuration), so the server
 * starts once per test run.
 */
@SpringBootTest(classes = KetaFhirApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class FhirServerTestBase {

    protected static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(120_000);
    }

    @LocalServerPort
    protected int port;

    /** The one folder whose files {@code $import} may read with {@code file:} URLs in the tests. */
    protected static final Path IMPORT_FOLDER = importFolder();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.fresh("shared").forEach((key, value) -> registry.add(key, () -> value));
        registry.add("ketafhir.server.bulk-import-folders", IMPORT_FOLDER::toString);
    }

    private static Path importFolder() {
        try {
            return Files.createDirectories(Path.of("target", "it-data", "import-" + UUID.randomUUID()).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected String baseUrl() {
        return "http://localhost:" + port + "/fhir";
    }

    protected IGenericClient client() {
        return authorized(FHIR.newRestfulGenericClient(baseUrl()));
    }

    /** Adds the test bearer token when the server requires one (PostgreSQL suite). */
    public static IGenericClient authorized(IGenericClient client) {
        TestDatabase.authorizationHeader().ifPresent(header -> client.registerInterceptor(
                new BearerTokenAuthInterceptor(header.substring("Bearer ".length()))));
        return client;
    }

    /** Adds the test bearer token when the server requires one (PostgreSQL suite). */
    public static HttpRequest.Builder authorized(HttpRequest.Builder request) {
        TestDatabase.authorizationHeader().ifPresent(header -> request.header("Authorization", header));
        return request;
    }

    /** A value no other test (or earlier run on the same database) uses: keeps searches independent. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    protected HttpResponse<String> http(String method, String pathAndQuery, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(120))
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        authorized(request);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + pathAndQuery + " interrupted", e);
        }
    }

    protected HttpResponse<String> getRaw(String pathAndQuery, String... headers) {
        return http("GET", pathAndQuery, null, headers);
    }

    protected HttpResponse<String> postJson(String path, String body, String... extraHeaders) {
        return http("POST", path, body, withJson(extraHeaders));
    }

    protected HttpResponse<String> putJson(String path, String body, String... extraHeaders) {
        return http("PUT", path, body, withJson(extraHeaders));
    }

    protected static String json(IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    @SuppressWarnings("unchecked")
    protected static <T extends IBaseResource> T parse(Class<T> type, String body) {
        return (T) FHIR.newJsonParser().parseResource(type, body);
    }

    private static String[] withJson(String[] extraHeaders) {
        String[] all = new String[extraHeaders.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/fhir+json";
        System.arraycopy(extraHeaders, 0, all, 2, extraHeaders.length);
        return all;
    }
}
