package org.ketafhir.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * On H2, HAPI's lookup of several resources by type and id runs as a row-value {@code IN}, which H2 answers from the
 * {@code (RES_TYPE, FHIR_ID)} index, instead of the {@code OR} of pairs HAPI's query builder writes, which H2's
 * optimizer answers by reading the whole index.
 *
 * <p>Why: at the start of every transaction HAPI resolves the ids the Bundle names in one query,
 * {@code where (r.res_type=? and r.fhir_id=? or r.res_type=? and r.fhir_id=? ...)}. H2 uses an index for an
 * {@code OR} only when every branch compares the same single column, so this query scanned all of
 * {@code HFJ_RESOURCE}: its cost grew with the database, and on a 5,000-resource database it was a seventh of the
 * CPU of an ingest (benchmark/README.md, 2026-12-08). PostgreSQL plans the {@code OR} with index scans; this
 * inspector is installed for H2 only. The rewrite keeps the parameters in their order (a type, then its id) and the
 * meaning ({@code NULL} matches nothing either way); any other statement passes unchanged.
 */
final class H2ResourceIdLookups implements StatementInspector {

    private static final String PAIR = "(\\w+)\\.res_type=\\? and \\1\\.fhir_id=\\?";
    private static final Pattern PAIRS = Pattern.compile(
            "\\(" + PAIR + "((?: or \\1\\.res_type=\\? and \\1\\.fhir_id=\\?)+)\\)");

    @Override
    public String inspect(String sql) {
        if (!sql.contains(".fhir_id=? or ")) {
            return sql;
        }
        Matcher pairs = PAIRS.matcher(sql);
        StringBuilder rewritten = new StringBuilder();
        while (pairs.find()) {
            String alias = pairs.group(1);
            int count = 1 + countOf(pairs.group(2), " or ");
            StringBuilder in = new StringBuilder("((").append(alias).append(".res_type,").append(alias)
                    .append(".fhir_id) in (");
            for (int i = 0; i < count; i++) {
                in.append(i == 0 ? "(?,?)" : ",(?,?)");
            }
            in.append("))");
            pairs.appendReplacement(rewritten, Matcher.quoteReplacement(in.toString()));
        }
        pairs.appendTail(rewritten);
        return rewritten.toString();
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
