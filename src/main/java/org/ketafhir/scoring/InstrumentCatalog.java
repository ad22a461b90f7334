package org.ketafhir.scoring;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.ketafhir.ig.GuidePackage;

/**
 * The instruments the server scores, built once from the guide's Questionnaires. Only Questionnaires that
 * carry an instrument-scoring or instrument-safety-rule extension become instruments; the others are ignored.
 * Immutable and safe to share between threads.
 */
public final class InstrumentCatalog {

    public static final String SCORING_EXTENSION = "http://ketafhir.org/fhir/StructureDefinition/instrument-scoring";
    public static final String SAFETY_RULE_EXTENSION =
            "http://ketafhir.org/fhir/StructureDefinition/instrument-safety-rule";
    public static final String ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
    public static final String LOINC = "http://loinc.org";
    /** LOINC's canonical for the form of a panel: {@code http://loinc.org/q/<panel code>}. */
    public static final String LOINC_FORM_PREFIX = "http://loinc.org/q/";

    private final Map<String, Instrument> byUrl;
    private final Map<String, Instrument> byCode;

    private InstrumentCatalog(Map<String, Instrument> byUrl, Map<String, Instrument> byCode) {
        this.byUrl = byUrl;
        this.byCode = byCode;
    }

    /**
     * Builds the catalog.
     *
     * @throws InstrumentDefinitionException when a Questionnaire's scoring data is inconsistent, or two
     *     Questionnaires share a url or a form code
     */
    public static InstrumentCatalog of(Collection<Questionnaire> questionnaires) {
        Map<String, Instrument> byUrl = new LinkedHashMap<>();
        Map<String, Instrument> byCode = new LinkedHashMap<>();
        for (Questionnaire questionnaire : questionnaires) {
            if (!InstrumentParser.declaresInstrument(questionnaire)) {
                continue;
            }
            Instrument instrument = InstrumentParser.parse(questionnaire);
            if (byUrl.putIfAbsent(instrument.url(), instrument) != null) {
                throw new InstrumentDefinitionException("two Questionnaires have the url " + instrument.url());
            }
            for (Coding code : instrument.codes()) {
                Instrument other = byCode.putIfAbsent(token(code.getSystem(), code.getCode()), instrument);
                if (other != null) {
                    throw new InstrumentDefinitionException(instrument.url() + " and " + other.url()
                            + " share the code " + token(code.getSystem(), code.getCode()));
                }
            }
        }
        return new InstrumentCatalog(Map.copyOf(byUrl), Map.copyOf(byCode));
    }

    /** The catalog of the guide's Questionnaires. */
    public static InstrumentCatalog fromGuide(GuidePackage guide) {
        return of(guide.resources(Questionnaire.class));
    }

    public List<Instrument> instruments() {
        return List.copyOf(byUrl.values());
    }

    /**
     * The instrument a canonical names: the guide's url with or without {@code |version} (the catalog holds one
     * version of each instrument, so the version is not compared), or LOINC's {@code http://loinc.org/q/<panel>}.
     */
    public Optional<Instrument> findByCanonical(String canonical) {
        if (canonical == null || canonical.isBlank()) {
            return Optional.empty();
        }
        int bar = canonical.indexOf('|');
        String url = bar >= 0 ? canonical.substring(0, bar) : canonical;
        Instrument instrument = byUrl.get(url);
        if (instrument != null) {
            return Optional.of(instrument);
        }
        if (url.startsWith(LOINC_FORM_PREFIX)) {
            return findByCode(LOINC, url.substring(LOINC_FORM_PREFIX.length()));
        }
        return Optional.empty();
    }

    /** The instrument whose Questionnaire.code is this panel (or local form) code. */
    public Optional<Instrument> findByCode(String system, String code) {
        return Optional.ofNullable(byCode.get(token(system, code)));
    }

    /**
     * The instrument of a Questionnaire the caller resolved (e.g. from a {@code Questionnaire/123} reference): by
     * its url, else by any of its codes.
     */
    public Optional<Instrument> findByQuestionnaire(Questionnaire questionnaire) {
        Optional<Instrument> byItsUrl = findByCanonical(questionnaire.getUrl());
        if (byItsUrl.isPresent()) {
            return byItsUrl;
        }
        return questionnaire.getCode().stream()
                .map(c -> byCode.get(token(c.getSystem(), c.getCode())))
                .filter(i -> i != null)
                .findFirst();
    }

    /** The instrument of a response, from its {@code questionnaire} canonical. */
    public Optional<Instrument> findFor(QuestionnaireResponse response) {
        return findByCanonical(response.getQuestionnaire());
    }

    private static String token(String system, String code) {
        return system + "|" + code;
    }
}
