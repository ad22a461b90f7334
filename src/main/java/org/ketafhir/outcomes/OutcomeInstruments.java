package org.ketafhir.outcomes;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.ketafhir.ig.GuidePackage;
import org.ketafhir.scoring.Instrument;
import org.ketafhir.scoring.InstrumentCatalog;
import org.ketafhir.scoring.InstrumentDefinitionException;
import org.ketafhir.scoring.ScoreDefinition;
import org.ketafhir.scoring.ScoredItem;

/** The instrument totals known to the guide, by score code and by Questionnaire id or URL. */
final class OutcomeInstruments {

    private final Map<String, OutcomeInstrument> byScoreCode = new LinkedHashMap<>();
    private final Map<String, OutcomeInstrument> byName = new LinkedHashMap<>();
    private final InstrumentCatalog catalog;

    /** The catalog and the remission denominators of the guide's Questionnaires. */
    public static OutcomeInstruments fromGuide(InstrumentCatalog catalog, GuidePackage guide) {
        return new OutcomeInstruments(catalog, guide.resources(Questionnaire.class));
    }

    /**
     * @param questionnaires the Questionnaires the catalog was built from, read for their remission denominators
     * @throws InstrumentDefinitionException when a remission denominator is malformed or names no score of the catalog
     */
    public OutcomeInstruments(InstrumentCatalog catalog, Collection<Questionnaire> questionnaires) {
        this.catalog = catalog;
        Map<String, Integer> denominators = RemissionDenominators.read(questionnaires);
        Set<String> unused = new HashSet<>(denominators.keySet());
        for (Instrument instrument : catalog.instruments()) {
            if (instrument.scores().isEmpty()) {
                continue; // a screener (C-SSRS) raises signals but has no total
            }
            // The first score a Questionnaire declares is its total; subscales are not summarised.
            ScoreDefinition total = instrument.scores().get(0);
            String url = instrument.url();
            String id = url.substring(url.lastIndexOf('/') + 1);
            OutcomeInstrument outcome = new OutcomeInstrument(id, url, instrument.title(), total.code().copy(),
                    total.bands(), total.thresholds(), denominators.get(OutcomeCodes.token(total.code())));
            unused.remove(outcome.codeToken());
            byScoreCode.put(outcome.codeToken(), outcome);
            byName.put(id, outcome);
            byName.put(url, outcome);
        }
        if (!unused.isEmpty()) {
            throw new InstrumentDefinitionException("instrument-remission-denominator names " + unused
                    + ", which is not the total score of an instrument of the guide");
        }
    }

    public Optional<OutcomeInstrument> byScoreCode(String token) {
        return Optional.ofNullable(byScoreCode.get(token));
    }

    /** By Questionnaire id ({@code phq-9}) or canonical URL, with or without {@code |version}. */
    public Optional<OutcomeInstrument> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int bar = name.indexOf('|');
        return Optional.ofNullable(byName.get(bar >= 0 ? name.substring(0, bar) : name));
    }

    public Collection<OutcomeInstrument> all() {
        return byScoreCode.values();
    }

    InstrumentCatalog catalog() {
        return catalog;
    }

    /** The weight of an answer to the item with this code (a LOINC item code), in whichever instrument asks it. */
    OptionalInt itemWeight(String itemToken, Coding answer) {
        return item(itemToken).map(item -> item.weightOf(answer)).orElse(OptionalInt.empty());
    }

    Optional<ScoredItem> item(String itemToken) {
        String code = itemToken.substring(itemToken.indexOf('|') + 1);
        for (Instrument instrument : catalog.instruments()) {
            Optional<ScoredItem> item = instrument.resolveLinkId(code).map(instrument.items()::get);
            if (item.isPresent()) {
                return item;
            }
        }
        return Optional.empty();
    }
}
