package org.ketafhir.outcomes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outcome index: one table of {@link OutcomeFact} rows keyed by the resource they came from. Rows are written
 * through the DataSource of the FHIR transaction (Spring binds its connection), so they commit or roll back with
 * the resource itself. The table is plain SQL that H2 and PostgreSQL both accept (db/ketafhir/V1__outcome_index.sql).
 */
final class OutcomeIndex {

    /** Bump when the extraction changes, so that existing indexes are rebuilt from the resources on the next start. */
    static final int FORMAT = 2; // 2: a score timed by a date only is marked (STATUS 'date') and set to 00:00 UTC

    private static final int[] ROW_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.VARCHAR,
        Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.BIGINT, Types.DOUBLE, Types.DOUBLE, Types.VARCHAR, Types.VARCHAR};

    private static final String COLUMNS =
            "PATIENT_ID, KIND, CODE, COURSE_ID, AT_MS, END_MS, VALUE1, VALUE2, REF_ID, STATUS";
    private static final String READ = "SELECT " + COLUMNS + ", RES_TYPE, RES_ID FROM KF_OUTCOME_FACT";

    private final JdbcTemplate jdbc;

    OutcomeIndex(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return whether the stored rows are of an older format (or none) and need a rebuild */
    boolean needsRebuild() {
        List<Integer> formats = jdbc.queryForList("SELECT FORMAT FROM KF_OUTCOME_INDEX", Integer.class);
        return formats.size() != 1 || formats.get(0) != FORMAT;
    }

    /** Marks the index as complete in the current format. */
    void markBuilt() {
        jdbc.update("DELETE FROM KF_OUTCOME_INDEX");
        jdbc.update("INSERT INTO KF_OUTCOME_INDEX (FORMAT) VALUES (?)", FORMAT);
    }

    void clear() {
        jdbc.update("DELETE FROM KF_OUTCOME_FACT");
        jdbc.update("DELETE FROM KF_OUTCOME_INDEX");
    }

    /** Replaces the rows of one resource (none when it no longer carries any fact). */
    void replace(String type, String id, List<OutcomeFact> facts) {
        jdbc.update("DELETE FROM KF_OUTCOME_FACT WHERE RES_TYPE = ? AND RES_ID = ?", type, id);
        insert(type, id, facts);
    }

    /** Adds the rows of a resource that has none yet (just created: a deleted one's rows went with it). */
    void insert(String type, String id, List<OutcomeFact> facts) {
        if (facts.isEmpty()) {
            return;
        }
        List<Object[]> rows = new java.util.ArrayList<>(facts.size());
        for (int n = 0; n < facts.size(); n++) {
            OutcomeFact fact = facts.get(n);
            rows.add(new Object[] {type, id, n, fact.patientId(), fact.kind().name(), fact.code(), fact.courseId(),
                millis(fact.at()), millis(fact.end()), fact.value1(), fact.value2(), fact.ref(), fact.status()});
        }
        jdbc.batchUpdate("INSERT INTO KF_OUTCOME_FACT (RES_TYPE, RES_ID, FACT_NO, " + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows, ROW_TYPES);
    }

    void delete(String type, String id) {
        jdbc.update("DELETE FROM KF_OUTCOME_FACT WHERE RES_TYPE = ? AND RES_ID = ?", type, id);
    }

    List<OutcomeFact> forPatient(String patientId) {
        return jdbc.query(READ + " WHERE PATIENT_ID = ?",
                (rs, n) -> read(rs), patientId);
    }

    /**
     * Streams, for a cohort, the scores of one instrument and every row of the given other kinds, in no order.
     */
    void forCohort(String scoreCode, Collection<FactKind> otherKinds, Consumer<OutcomeFact> sink) {
        String kinds = otherKinds.stream().map(k -> "'" + k.name() + "'").collect(Collectors.joining(", "));
        jdbc.query(READ + " WHERE (KIND = 'SCORE' AND CODE = ?)"
                + (kinds.isEmpty() ? "" : " OR KIND IN (" + kinds + ")"), rs -> {
                    sink.accept(read(rs));
                }, scoreCode);
    }

    long size() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM KF_OUTCOME_FACT", Long.class);
        return count == null ? 0 : count;
    }

    private static OutcomeFact read(ResultSet rs) throws SQLException {
        return new OutcomeFact(
                FactKind.valueOf(rs.getString(2)),
                rs.getString(1),
                rs.getString(4),
                rs.getString(3),
                instant(rs, 5),
                instant(rs, 6),
                number(rs, 7),
                number(rs, 8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11) + "/" + rs.getString(12));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
