package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketafhir.ig.GuidePackage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;

/**
 * Given a QuestionnaireResponse ({@code response.json}), when it is scored against the guide's Questionnaires and
 * turned into Observations, then the outcome is the one worked out by hand in {@code expected.json} (its
 * {@code _why} shows the arithmetic). One folder per case under {@code src/test/resources/scoring/<instrument>/}.
 */
class InstrumentGoldenCasesTest {

    private static final Path CASES = Path.of("src", "test", "resources", "scoring");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ScoringProcessor processor;
    private static final ScoreObservationFactory observations = new ScoreObservationFactory();

    @BeforeAll
    static void loadTheGuide() {
        processor = new ScoringProcessor(InstrumentCatalog.fromGuide(GuidePackage.builtIn()));
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CASES)) {
            files.filter(p -> p.getFileName().toString().equals("response.json"))
                    .map(Path::getParent)
                    .sorted()
                    .forEach(folder -> cases.add(Arguments.of(Named.of(CASES.relativize(folder).toString(), folder))));
        }
        return cases.stream();
    }

    @Test
    void everyInstrumentHasGoldenCases() throws IOException {
        try (Stream<Path> folders = Files.list(CASES)) {
            assertThat(folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "phq-9", "gad-7", "pcl-5", "y-bocs", "madrs", "qids-sr16", "c-ssrs-screener", "cadss");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scoresTheResponseAsWorkedOutByHand(Path folder) throws IOException {
        String name = CASES.relativize(folder).toString();
        QuestionnaireResponse response = readResponse(folder.resolve("response.json"));
        JsonNode expected = JSON.readTree(folder.resolve("expected.json").toFile());
        assertThat(expected.path("_why").asText()).as("every case explains its arithmetic").isNotBlank();

        ScoringResult result = processor.score(response).orElseThrow(
                () -> new AssertionError(name + ": instrument not recognised from " + response.getQuestionnaire()));

        if (expected.has("errors")) {
            assertThat(result.hasErrors()).as("the response is refused").isTrue();
            List<String> messages = result.errors().stream().map(ScoringIssue::message).toList();
            for (JsonNode fragment : expected.get("errors")) {
                assertThat(messages).as("an error message names " + fragment.asText())
                        .anySatisfy(m -> assertThat(m).contains(fragment.asText()));
            }
            assertThatThrownBy(() -> observations.create(result, response))
                    .isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(result.errors()).as("no scoring error").isEmpty();
            assertObservations(response, observations.create(result, response), expected.path("observations"));
        }
        if (!expected.has("errors") || expected.has("notComputed")) {
            // a refused answer also leaves its score uncomputed: error cases state it only when it is their point
            assertNotComputed(result, expected.path("notComputed"));
        }
        if (expected.has("safety")) {
            assertSafety(result.safety(), expected.get("safety"));
        }
    }

    private static void assertObservations(QuestionnaireResponse response, List<Observation> actual, JsonNode expected) {
        List<String> actualSummary = actual.stream().map(InstrumentGoldenCasesTest::summary).toList();
        List<String> expectedSummary = new ArrayList<>();
        expected.forEach(o -> expectedSummary.add(o.get("code").asText() + " = " + o.get("value").asInt()
                + (o.has("interpretation") ? " (" + o.get("interpretation").asText() + ")" : "")));
        assertThat(actualSummary).containsExactlyElementsOf(expectedSummary);
        for (Observation observation : actual) {
            assertThat(observation.getSubject().getReference()).isEqualTo(response.getSubject().getReference());
            assertThat(observation.getEffectiveDateTimeType().getValueAsString())
                    .isEqualTo(response.getAuthoredElement().getValueAsString());
            assertThat(observation.getDerivedFromFirstRep().getReference())
                    .isEqualTo("QuestionnaireResponse/" + response.getIdElement().getIdPart());
        }
    }

    private static String summary(Observation observation) {
        Coding code = observation.getCode().getCodingFirstRep();
        String band = observation.hasInterpretation()
                ? " (" + observation.getInterpretationFirstRep().getCodingFirstRep().getCode() + ")"
                : "";
        return code.getSystem() + "|" + code.getCode() + " = " + observation.getValueIntegerType().getValue() + band;
    }

    private static void assertNotComputed(ScoringResult result, JsonNode expected) {
        List<String> actual = result.scores().stream()
                .filter(s -> !s.isComputed())
                .map(s -> s.definition().codeToken() + " missing " + s.missingLinkIds())
                .toList();
        List<String> wanted = new ArrayList<>();
        expected.forEach(n -> {
            List<String> missing = new ArrayList<>();
            n.get("missing").forEach(m -> missing.add(m.asText()));
            wanted.add(n.get("code").asText() + " missing " + missing);
        });
        assertThat(actual).as("scores not computed, with their unanswered items").containsExactlyElementsOf(wanted);
    }

    private static void assertSafety(SafetyResult safety, JsonNode expected) {
        assertThat(safety.level().code()).as("safety level").isEqualTo(expected.get("level").asText());
        if (expected.has("signal")) {
            assertThat(safety.signal()).map(Coding::getCode).contains(expected.get("signal").asText());
        } else {
            assertThat(safety.signal()).isEmpty();
        }
        if (expected.has("evidence")) {
            List<String> evidence = new ArrayList<>();
            expected.get("evidence").forEach(e -> evidence.add(e.asText()));
            assertThat(safety.evidence()).extracting(SafetyResult.Evidence::linkId).containsExactlyElementsOf(evidence);
        }
        if (expected.has("unansweredEvidence")) {
            List<String> unanswered = new ArrayList<>();
            expected.get("unansweredEvidence").forEach(e -> unanswered.add(e.asText()));
            assertThat(safety.unansweredEvidence()).containsExactlyElementsOf(unanswered);
        }
    }

    private static QuestionnaireResponse readResponse(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return FhirContext.forR4Cached().newJsonParser().parseResource(QuestionnaireResponse.class, in);
        }
    }
}
