package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.ketafhir.scoring.OutcomeResponses.phq9;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.awaitility.Awaitility;

import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

/**
 * A clinic receives safety signals through a standard FHIR R4 Subscription: rest-hook to a real HTTP receiver on
 * this machine, criteria on Flag.
 */
class ScoringSubscriptionIT extends FhirServerTestBase {

    private static final Duration ACTIVATION = Duration.ofSeconds(60);
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    /** What the receiver got: "METHOD path" then the body. */
    private record Delivery(String request, String body) {}

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private IdType subscription;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", this::receive);
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        if (subscription != null) {
            client().delete().resourceById(subscription.toUnqualifiedVersionless()).execute();
        }
        receiver.stop(0);
    }

    @Test
    void aPositivePhq9ShouldReachTheClinicsRestHookAsAFlagForThePatient() throws InterruptedException {
        String patient = newPatient();
        Subscription request = new Subscription();
        request.setStatus(SubscriptionStatus.REQUESTED);
        request.setReason("Safety signals of one patient, for the clinic's on-call system");
        request.setCriteria("Flag?subject=" + patient);
        request.getChannel()
                .setType(SubscriptionChannelType.RESTHOOK)
                .setEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
                .setPayload("application/fhir+json");
        subscription = (IdType) client().create().resource(request).execute().getId();
        awaitActive(subscription);

        // The subscription may be active in the database a moment before the matcher has loaded it: a signal that
        // races it is not delivered, so a further response (a new signal) is sent until one arrives.
        Delivery delivery = null;
        for (int attempt = 0; attempt < 3 && delivery == null; attempt++) {
            // item 9 = 1 -> positive screen, a new Flag for each response
            client().create().resource(phq9(patient, "2026-03-0" + (2 + attempt) + "T09:30:00Z",
                    1, 0, 0, 0, 0, 0, 0, 0, 1)).execute();
            delivery = deliveries.poll(DELIVERY.toSeconds(), TimeUnit.SECONDS);
        }

        if (delivery == null) {
            fail("no rest-hook delivery within " + DELIVERY.multipliedBy(3));
        }
        assertThat(delivery.request()).contains("/hook/Flag/");
        Flag flag = parse(Flag.class, delivery.body());
        assertThat(flag.getSubject().getReference()).isEqualTo(patient);
        assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
        assertThat(flag.getCode().getCodingFirstRep().getCode()).isEqualTo("suicidal-ideation-positive-screen");
    }

    private void awaitActive(IdType id) {
        Awaitility.await("subscription " + id.getIdPart() + " active").dontCatchUncaughtExceptions()
                .atMost(ACTIVATION).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Subscription current = client().read().resource(Subscription.class).withId(id.getIdPart()).execute();
                    assertThat(current.getStatus()).as("subscription went to error: %s", current.getError())
                            .isNotEqualTo(SubscriptionStatus.ERROR);
                    return current.getStatus() == SubscriptionStatus.ACTIVE;
                });
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            deliveries.add(new Delivery(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), body));
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private String newPatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(unique("mrn"));
        patient.addName().setFamily("Subscriber");
        return "Patient/" + client().create().resource(patient).execute().getId().getIdPart();
    }
}
