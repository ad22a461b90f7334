package org.ketafhir.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.ketafhir.ig.GuidePackage;

/**
 * The answer options of the instruments the demo clinic fills in, read from the guide's Questionnaires (the package
 * the server installs), so the answers the generator writes are the guide's codes and weights, not a copy of them.
 */
final class DemoInstruments {

    private static final String ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
    private static final String SCORING = "http://ketafhir.org/fhir/StructureDefinition/instrument-scoring";

    /** One answerable item: its linkId, text and answer codings indexed by their weight (0, 1, 2, ...). */
    record Item(String linkId, String text, List<Coding> byWeight) {

        int max() {
            return byWeight.size() - 1;
        }
    }

    /** An instrument: canonical URL, its choice items in order, how many score Observations a response yields. */
    record Instrument(String url, List<Item> items, int scores) {

        int max() {
            return items.stream().mapToInt(Item::max).sum();
        }
    }

    final Instrument phq9;
    final Instrument gad7;
    final Instrument pcl5;
    final Instrument ybocs;
    final Instrument cssrs;

    DemoInstruments(GuidePackage guide) {
        this.phq9 = load(guide, "phq-9");
        this.gad7 = load(guide, "gad-7");
        this.pcl5 = load(guide, "pcl-5");
        this.ybocs = load(guide, "y-bocs");
        this.cssrs = load(guide, "c-ssrs-screener");
    }

    Map<String, Instrument> byUrl() {
        return Map.of(phq9.url(), phq9, gad7.url(), gad7, pcl5.url(), pcl5, ybocs.url(), ybocs, cssrs.url(), cssrs);
    }

    private static Instrument load(GuidePackage guide, String id) {
        Questionnaire questionnaire = guide.resource(Questionnaire.class, id);
        List<Item> items = new ArrayList<>();
        for (QuestionnaireItemComponent item : questionnaire.getItem()) {
            if (item.getType() != QuestionnaireItemType.CHOICE) {
                continue;
            }
            Coding[] byWeight = new Coding[item.getAnswerOption().size()];
            for (var option : item.getAnswerOption()) {
                Coding coding = option.getValueCoding();
                Extension ordinal = coding.getExtensionByUrl(ORDINAL);
                if (ordinal == null) {
                    ordinal = option.getExtensionByUrl(ORDINAL);
                }
                int weight = ((DecimalType) ordinal.getValue()).getValue().intValueExact();
                byWeight[weight] = new Coding(coding.getSystem(), coding.getCode(), coding.getDisplay());
            }
            items.add(new Item(item.getLinkId(), item.getText(), List.of(byWeight)));
        }
        int scores = questionnaire.getExtensionsByUrl(SCORING).size();
        return new Instrument(questionnaire.getUrl(), List.copyOf(items), scores);
    }
}
