package org.ketafhir.security;

import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit log: an append-only pair of tables in the server's own database, one row per AuditEvent (its JSON, as
 * recorded) and one row per searchable value of it ({@link AuditValues}). It is written through the DataSource of
 * the current transaction when there is one (Spring binds its connection), so an event commits or rolls back with
 * the write it records. Plain SQL that H2 and PostgreSQL both accept (db/ketafhir/V2__audit_log.sql); the index on
 * (kind, value, time, event) serves the common question "who saw this patient's record, and when" from the index.
 */
final class AuditLog {

    /** An AuditEvent as stored: its id, the time it was recorded and the resource's JSON. */
    record Entry(String id, Instant recorded, String json, List<AuditValues.Value> values) {}

    private static final int[] EVENT_TYPES = {Types.VARCHAR, Types.BIGINT, Types.VARCHAR};
    private static final int[] VALUE_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.BIGINT};

    private final JdbcTemplate jdbc;

    AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the AuditEvents earlier versions stored as resources have been brought into the log. */
    boolean imported() {
        return !jdbc.queryForList("SELECT IMPORTED_FROM_RESOURCES FROM KF_AUDIT_LOG", Boolean.class).isEmpty();
    }

    void markImported() {
        jdbc.update("DELETE FROM KF_AUDIT_LOG");
        jdbc.update("INSERT INTO KF_AUDIT_LOG (IMPORTED_FROM_RESOURCES) VALUES (TRUE)");
    }

    /** Appends the entries in two batched statements, on the caller's connection (and transaction, if any). */
    void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Object[]> events = new ArrayList<>(entries.size());
        List<Object[]> values = new ArrayList<>(entries.size() * 6);
        for (Entry entry : entries) {
            long at = entry.recorded().toEpochMilli();
            events.add(new Object[] {entry.id(), at, entry.json()});
            for (AuditValues.Value value : entry.values()) {
                values.add(new Object[] {entry.id(), value.kind().name(), value.value(), at});
            }
        }
        jdbc.batchUpdate("INSERT INTO KF_AUDIT_EVENT (ID, RECORDED_MS, RESOURCE_JSON) VALUES (?, ?, ?)", events,
                EVENT_TYPES);
        if (!values.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO KF_AUDIT_VALUE (EVENT_ID, KIND, VAL, RECORDED_MS) VALUES (?, ?, ?, ?)",
                    values, VALUE_TYPES);
        }
    }

    Optional<String> read(String id) {
        return jdbc.queryForList("SELECT RESOURCE_JSON FROM KF_AUDIT_EVENT WHERE ID = ?", String.class, id)
                .stream().findFirst();
    }

    boolean contains(String id) {
        return !jdbc.queryForList("SELECT ID FROM KF_AUDIT_EVENT WHERE ID = ?", String.class, id).isEmpty();
    }

    /** The number of events the query matches. */
    int count(AuditQuery query) {
        List<Object> arguments = new ArrayList<>();
        String where = where(query, arguments);
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM KF_AUDIT_EVENT e" + where, Integer.class,
                arguments.toArray());
        return count == null ? 0 : count;
    }

    /** One page of the events the query matches, as JSON, in the query's time order (ties by id). */
    List<String> page(AuditQuery query, int offset, int count) {
        List<Object> arguments = new ArrayList<>();
        String where = where(query, arguments);
        String direction = query.newestFirst() ? "DESC" : "ASC";
        arguments.add(offset);
        arguments.add(count);
        return jdbc.queryForList("SELECT e.RESOURCE_JSON FROM KF_AUDIT_EVENT e" + where + " ORDER BY e.RECORDED_MS "
                + direction + ", e.ID " + direction + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", String.class, arguments.toArray());
    }

    /** Deletes what was recorded before the instant (the retention setting). @return the events deleted */
    int deleteRecordedBefore(Instant instant) {
        long before = instant.toEpochMilli();
        jdbc.update("DELETE FROM KF_AUDIT_VALUE WHERE RECORDED_MS < ?", before);
        return jdbc.update("DELETE FROM KF_AUDIT_EVENT WHERE RECORDED_MS < ?", before);
    }

    private static String where(AuditQuery query, List<Object> arguments) {
        List<String> conditions = new ArrayList<>();
        if (query.from() != null) {
            conditions.add("e.RECORDED_MS >= ?");
            arguments.add(query.from().toEpochMilli());
        }
        if (query.to() != null) {
            conditions.add("e.RECORDED_MS <= ?");
            arguments.add(query.to().toEpochMilli());
        }
        for (AuditQuery.AnyOf criterion : query.criteria()) {
            String marks = String.join(", ", criterion.values().stream().map(value -> "?").toList());
            // Driven from the value index (a semi-join on the event's key), not a probe of every event.
            conditions.add("e.ID IN (SELECT v.EVENT_ID FROM KF_AUDIT_VALUE v WHERE v.KIND = ? AND v.VAL IN ("
                    + marks + "))");
            arguments.add(criterion.kind().name());
            arguments.addAll(criterion.values());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
