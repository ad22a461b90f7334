package org.ketafhir.scoring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.hl7.fhir.r4.model.Coding;

/**
 * An instrument as the catalog understands it: the scoring data of one Questionnaire of the guide, parsed
 * once. Immutable.
 */
public final class Instrument {

    private final String url;
    private final String version;
    private final String title;
    private final List<Coding> codes;
    private final Map<String, ScoredItem> itemsByLinkId;
    private final Map<String, Coding> reportedItems;
    private final List<ScoreDefinition> scores;
    private final List<SafetyRule> safetyRules;
    private final Map<String, String> linkIdsByKey;

    Instrument(
            String url,
            String version,
            String title,
            List<Coding> codes,
            Map<String, ScoredItem> itemsByLinkId,
            Map<String, Coding> reportedItems,
            List<ScoreDefinition> scores,
            List<SafetyRule> safetyRules) {
        this.url = url;
        this.version = version;
        this.title = title;
        this.codes = List.copyOf(codes);
        this.itemsByLinkId = Collections.unmodifiableMap(new LinkedHashMap<>(itemsByLinkId));
        this.reportedItems = Collections.unmodifiableMap(new LinkedHashMap<>(reportedItems));
        this.scores = List.copyOf(scores);
        this.safetyRules = List.copyOf(safetyRules);
        this.linkIdsByKey = indexKeys();
    }

    /** Keys by which a response may name an item: its linkId and the codes of its {@code code} codings. */
    private Map<String, String> indexKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        itemsByLinkId.values().forEach(item -> {
            keys.put(item.linkId(), item.linkId());
            item.codes().forEach(code -> keys.putIfAbsent(code, item.linkId()));
        });
        reportedItems.forEach((linkId, code) -> {
            keys.put(linkId, linkId);
            keys.putIfAbsent(code.getCode(), linkId);
        });
        return keys;
    }

    /** The canonical URL, without version. */
    public String url() {
        return url;
    }

    public String version() {
        return version;
    }

    public String title() {
        return title;
    }

    /** Questionnaire.code: the LOINC panel, or the guide's local form code. */
    public List<Coding> codes() {
        return codes;
    }

    /** Scored items by their Questionnaire linkId, in Questionnaire order. */
    public Map<String, ScoredItem> items() {
        return itemsByLinkId;
    }

    /** The scores, in the order the Questionnaire declares them (the total first). */
    public List<ScoreDefinition> scores() {
        return scores;
    }

    public Optional<ScoreDefinition> score(String system, String code) {
        return scores.stream().filter(s -> s.hasCode(system, code)).findFirst();
    }

    public List<SafetyRule> safetyRules() {
        return safetyRules;
    }

    /** The codes of the Observations its safety rules record their result in (C-SSRS: the risk level), once each. */
    public List<Coding> safetyObservationCodes() {
        Map<String, Coding> codes = new LinkedHashMap<>();
        safetyRules.stream().map(SafetyRule::observation).filter(Objects::nonNull)
                .forEach(code -> codes.putIfAbsent(code.getSystem() + "|" + code.getCode(), code));
        return List.copyOf(codes.values());
    }

    boolean isReportedItem(String linkId) {
        return reportedItems.containsKey(linkId);
    }

    /**
     * The guide linkId of the item a response names: the linkId itself, the LOINC (or local) item code, or a
     * path ending in one of them ({@code /44250-9}, {@code /44249-1/44250-9}).
     */
    public Optional<String> resolveLinkId(String responseLinkId) {
        if (responseLinkId == null || responseLinkId.isBlank()) {
            return Optional.empty();
        }
        String direct = linkIdsByKey.get(responseLinkId);
        if (direct != null) {
            return Optional.of(direct);
        }
        int slash = responseLinkId.lastIndexOf('/');
        if (slash >= 0 && slash < responseLinkId.length() - 1) {
            return Optional.ofNullable(linkIdsByKey.get(responseLinkId.substring(slash + 1)));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return url + "|" + version;
    }
}
