package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit log and its writer on a real (in-memory H2) database, with Spring transactions as HAPI uses them. */
class AuditLogWriterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private AuditLog log;
    private AuditLogWriter writer;
    private TransactionTemplate transactions;
    private JdbcTemplate jdbc;

    @BeforeEach
    void freshDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/ketafhir").load().migrate();
        log = new AuditLog(jdbc);
        writer = new AuditLogWriter(log, FHIR, manager);
        transactions = new TransactionTemplate(manager);
    }

    @Test
    void shouldCommitTheEventsOfAWriteWithTheWriteAndNotBefore() {
        transactions.executeWithoutResult(status -> {
            jdbc.execute("CREATE TABLE RECORD (ID INT)");
            jdbc.update("INSERT INTO RECORD VALUES (1)");
            writer.recordAuditEvent(event("create", "Patient/1"));
            writer.recordAuditEvent(event("create", "Observation/2"));
            // appended just before the commit, in one batch: nothing yet
            assertThat(count()).isZero();
        });

        assertThat(count()).isEqualTo(2);
        assertThat(outcomes()).containsOnly("0");
    }

    @Test
    void shouldRecordTheEventsOfARolledBackWriteAsAFailureInATransactionOfTheirOwn() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            writer.recordAuditEvent(event("create", "Patient/1"));
            throw new IllegalStateException("the write failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(count()).isEqualTo(1);
        // outcome 4: minor failure (the request was refused or failed, nothing was stored)
        assertThat(outcomes()).containsExactly("4");
    }

    @Test
    void shouldAppendAnEventRaisedOutsideATransactionAtOnce() {
        writer.recordAuditEvent(event("read", "Patient/1"));

        assertThat(count()).isEqualTo(1);
    }

    @Test
    void shouldAppendAnEventRaisedInAReadOnlyTransactionAtOnceInItsOwn() {
        TransactionTemplate readOnly = new TransactionTemplate(transactions.getTransactionManager());
        readOnly.setReadOnly(true);

        readOnly.executeWithoutResult(status -> {
            writer.recordAuditEvent(event("search-type", "Patient/1"));
            assertThat(count()).isEqualTo(1);
        });
    }

    @Test
    void shouldFindEventsByPatientInEitherReferenceFormAndPageThemInTimeOrder() {
        for (int minute = 0; minute < 5; minute++) {
            AuditEvent event = event("read", "http://clinic.example/fhir/Patient/7");
            event.setRecorded(Date.from(Instant.parse("2026-12-01T10:00:00Z").plusSeconds(60L * minute)));
            writer.recordAuditEvent(event);
        }
        writer.recordAuditEvent(event("read", "Patient/8"));

        AuditQuery patient7 = new AuditQuery(List.of(new AuditQuery.AnyOf(AuditValues.Kind.PATIENT, List.of("Patient/7"))),
                null, null, true);
        AuditQuery absolute = new AuditQuery(List.of(new AuditQuery.AnyOf(AuditValues.Kind.PATIENT,
                List.of("http://clinic.example/fhir/Patient/7"))), null, null, false);
        AuditQuery window = new AuditQuery(List.of(new AuditQuery.AnyOf(AuditValues.Kind.PATIENT, List.of("Patient/7"))),
                Instant.parse("2026-12-01T10:01:00Z"), Instant.parse("2026-12-01T10:03:00Z"), false);

        assertThat(log.count(patient7)).isEqualTo(5);
        assertThat(log.count(absolute)).isEqualTo(5);
        // 10:01, 10:02 and 10:03 are within the inclusive bounds; 10:00 and 10:04 are not
        assertThat(log.count(window)).isEqualTo(3);
        List<String> newestTwo = log.page(patient7, 0, 2);
        assertThat(newestTwo).hasSize(2);
        assertThat(recorded(newestTwo.get(0))).isEqualTo(Instant.parse("2026-12-01T10:04:00Z"));
        assertThat(recorded(log.page(patient7, 4, 2).get(0))).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void shouldDeleteOnlyWhatIsOlderThanTheRetention() {
        AuditEvent old = event("read", "Patient/1");
        old.setRecorded(Date.from(Instant.parse("2020-01-01T00:00:00Z")));
        writer.recordAuditEvent(old);
        writer.recordAuditEvent(event("read", "Patient/1"));

        int deleted = log.deleteRecordedBefore(Instant.parse("2021-01-01T00:00:00Z"));

        assertThat(deleted).isEqualTo(1);
        assertThat(count()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM KF_AUDIT_VALUE WHERE RECORDED_MS < ?", Integer.class,
                Instant.parse("2021-01-01T00:00:00Z").toEpochMilli())).isZero();
    }

    private int count() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM KF_AUDIT_EVENT", Integer.class);
    }

    private List<String> outcomes() {
        return jdbc.queryForList("SELECT RESOURCE_JSON FROM KF_AUDIT_EVENT", String.class).stream()
                .map(json -> FHIR.newJsonParser().parseResource(AuditEvent.class, json).getOutcome().toCode()).toList();
    }

    private static Instant recorded(String json) {
        return FHIR.newJsonParser().parseResource(AuditEvent.class, json).getRecorded().toInstant();
    }

    private static AuditEvent event(String interaction, String patient) {
        AuditEvent event = new AuditEvent();
        event.getType().setSystem("http://terminology.hl7.org/CodeSystem/audit-event-type").setCode("rest");
        event.addSubtype().setSystem("http://hl7.org/fhir/restful-interaction").setCode(interaction);
        event.setAction(AuditEvent.AuditEventAction.R);
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.addEntity().setWhat(new org.hl7.fhir.r4.model.Reference(patient))
                .getRole().setSystem("http://terminology.hl7.org/CodeSystem/object-role").setCode("1");
        return event;
    }
}
