package org.ketafhir.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;

class InstrumentResolverTest {

    private static final String PHQ9 = "http://ketafhir.org/fhir/Questionnaire/phq-9";
    private static InstrumentCatalog catalog;

    private final List<String> lookups = new ArrayList<>();
    private final Map<String, Questionnaire> stored = new java.util.HashMap<>();
    private final InstrumentResolver resolver = new InstrumentResolver(catalog, canonical -> {
        lookups.add(canonical);
        Questionnaire found = stored.get(canonical);
        return found == null ? List.of() : List.of(found);
    });

    @BeforeAll
    static void loadTheGuide() {
        catalog = InstrumentCatalog.fromGuide(GuidePackage.builtIn());
    }

    @Test
    void shouldKnowTheGuideAndLoincCanonicalsWithoutLookingAnythingUp() {
        assertThat(resolver.resolve(responseTo(PHQ9))).map(Instrument::url).contains(PHQ9);
        assertThat(resolver.resolve(responseTo(PHQ9 + "|0.1.0"))).map(Instrument::url).contains(PHQ9);
        assertThat(resolver.resolve(responseTo("http://loinc.org/q/44249-1"))).map(Instrument::url).contains(PHQ9);
        assertThat(lookups).isEmpty();
    }

    @Test
    void shouldRecogniseAStoredQuestionnaireByItsLoincPanelCodeAndLookItUpOnce() {
        Questionnaire local = new Questionnaire();
        local.setUrl("http://clinic.example/Questionnaire/phq9-local");
        local.addCode(new Coding("http://loinc.org", "44249-1", "PHQ-9 quick depression assessment panel"));
        stored.put("Questionnaire/17", local);

        assertThat(resolver.resolve(responseTo("Questionnaire/17"))).map(Instrument::url).contains(PHQ9);
        assertThat(resolver.resolve(responseTo("Questionnaire/17"))).map(Instrument::url).contains(PHQ9);
        assertThat(lookups).containsExactly("Questionnaire/17");
    }

    @Test
    void shouldForgetWhatItFoundWhenAQuestionnaireIsWritten() {
        assertThat(resolver.resolve(responseTo("http://clinic.example/Questionnaire/gad"))).isEmpty();
        Questionnaire gad7 = new Questionnaire();
        gad7.setUrl("http://clinic.example/Questionnaire/gad");
        gad7.addCode(new Coding("http://loinc.org", "69737-5", null));
        stored.put("http://clinic.example/Questionnaire/gad", gad7);
        assertThat(resolver.resolve(responseTo("http://clinic.example/Questionnaire/gad"))).isEmpty(); // cached

        resolver.invalidate();

        assertThat(resolver.resolve(responseTo("http://clinic.example/Questionnaire/gad"))).map(Instrument::url)
                .contains("http://ketafhir.org/fhir/Questionnaire/gad-7");
        assertThat(lookups).hasSize(2);
    }

    @Test
    void shouldNotRecogniseAStoredQuestionnaireOfAnotherPanel() {
        Questionnaire other = new Questionnaire();
        other.setUrl("http://clinic.example/Questionnaire/intake");
        other.addCode(new Coding("http://loinc.org", "00000-0", null));
        stored.put("http://clinic.example/Questionnaire/intake", other);

        assertThat(resolver.resolve(responseTo("http://clinic.example/Questionnaire/intake"))).isEmpty();
        assertThat(resolver.resolve(new QuestionnaireResponse())).isEmpty();
    }

    private static QuestionnaireResponse responseTo(String canonical) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setQuestionnaire(canonical);
        return response;
    }
}
