package org.ketafhir.scoring;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Finds the instrument of a response. First from its {@code questionnaire} canonical alone (the guide's url, with or
 * without version, or LOINC's {@code http://loinc.org/q/<panel>}); else from a Questionnaire stored on this server
 * that the canonical names, when that Questionnaire's url or code (the LOINC panel) is one of the catalog's.
 *
 * <p>Scoring runs on every write of a response, so what a canonical resolved to is cached: the catalog's weights
 * are parsed once, and a stored Questionnaire is looked up once per canonical until any Questionnaire is written
 * again ({@link #invalidate()}).
 */
final class InstrumentResolver {

    /** Looks up the stored Questionnaires a canonical (or a {@code Questionnaire/<id>} reference) names. */
    @FunctionalInterface
    interface StoredQuestionnaires {
        List<Questionnaire> find(String canonical);
    }

    /** Bound on the cache, so that clients sending ever new canonicals cannot grow it without limit. */
    private static final int MAX_CACHED_CANONICALS = 1_000;

    private final InstrumentCatalog catalog;
    private final StoredQuestionnaires stored;
    private final Map<String, Optional<Instrument>> byCanonical = new ConcurrentHashMap<>();
    private final Object cacheLock = new Object();
    private long generation;

    InstrumentResolver(InstrumentCatalog catalog, StoredQuestionnaires stored) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.stored = Objects.requireNonNull(stored, "stored");
    }

    InstrumentCatalog catalog() {
        return catalog;
    }

    Optional<Instrument> resolve(QuestionnaireResponse response) {
        if (response == null) {
            return Optional.empty();
        }
        Optional<Instrument> direct = catalog.findFor(response);
        if (direct.isPresent()) {
            return direct;
        }
        String canonical = response.getQuestionnaire();
        if (canonical == null || canonical.isBlank()) {
            return Optional.empty();
        }
        Optional<Instrument> cached = byCanonical.get(canonical);
        if (cached != null) {
            return cached;
        }
        long before;
        synchronized (cacheLock) {
            before = generation;
        }
        Optional<Instrument> found = stored.find(canonical).stream()
                .map(catalog::findByQuestionnaire)
                .flatMap(Optional::stream)
                .findFirst();
        synchronized (cacheLock) {
            // a Questionnaire written meanwhile may have changed the answer: do not cache what was read before it
            if (generation == before) {
                if (byCanonical.size() >= MAX_CACHED_CANONICALS) {
                    byCanonical.clear();
                }
                byCanonical.put(canonical, found);
            }
        }
        return found;
    }

    /** Forgets what stored Questionnaires resolved to; called whenever a Questionnaire is written or deleted. */
    void invalidate() {
        synchronized (cacheLock) {
            generation++;
            byCanonical.clear();
        }
    }
}
