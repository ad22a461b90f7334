package org.ketafhir.scoring;

import java.util.List;

/**
 * One addend of a score. A plain item is a term of one linkId. A domain (QIDS-SR16) is a term of
 * several linkIds whose value is the highest answered weight among them, and which counts as answered
 * when at least {@code minAnswered} of its items are answered.
 *
 * @param label the domain's label, or null for a plain item
 * @param linkIds the Questionnaire linkIds of the term's items
 * @param minAnswered how many of the items must be answered for the term to have a value
 */
public record ScoreTerm(String label, List<String> linkIds, int minAnswered) {

    public ScoreTerm {
        linkIds = List.copyOf(linkIds);
    }

    static ScoreTerm item(String linkId) {
        return new ScoreTerm(null, List.of(linkId), 1);
    }

    public boolean isDomain() {
        return label != null || linkIds.size() > 1;
    }
}
