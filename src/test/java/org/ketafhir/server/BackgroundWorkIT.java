package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.model.sched.ISchedulerService;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.jdbc.core.JdbcTemplate;

/** HAPI's background work, deferred until the server is ready, does run once it is. */
class BackgroundWorkIT extends FhirServerTestBase {

    @Autowired
    ISchedulerService scheduler;

    @Autowired
    ITermDeferredStorageSvc deferredTerminology;

    @Autowired
    ApplicationAvailability availability;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void shouldRunHapisScheduledJobsOnceTheServerIsReady() throws Exception {
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(scheduler).isInstanceOf(BackgroundWorkAfterStartup.SchedulerStartedWhenReady.class);
        assertThat(scheduler.isSchedulingDisabled()).isFalse();
        // HAPI's local jobs (deferred terminology storage, resource counts, ...) and its clustered ones (Batch2
        // maintenance, stale searches) are scheduled
        assertThat(scheduler.getLocalJobKeysForUnitTest()).extracting(key -> key.getName())
                .anyMatch(name -> name.contains("TermDeferredStorageSvcImpl"));
        assertThat(scheduler.getClusteredJobKeysForUnitTest()).extracting(key -> key.getName())
                .anyMatch(name -> name.contains("JobMaintenanceServiceImpl"));
    }

    /**
     * The whole of the guide's largest code system is in the terminology tables and nothing waits to be stored. In
     * this shared context the scheduled job may have run too; that the first request after ready finds the codes is
     * StartupIT's to show (a PHQ-9 posted from the moment the port answers).
     */
    @Test
    void shouldHoldTheGuidesWholeCodeSystemInTheTerminologyTables() {
        assertThat(deferredTerminology.isStorageQueueEmpty(true)).isTrue();
        // CodeSystem-ketafhir-instrument.json: 154 concepts (HAPI defers code systems of more than 100)
        Integer concepts = jdbc.queryForObject("select count(*) from TRM_CONCEPT c join TRM_CODESYSTEM_VER v"
                + " on c.CODESYSTEM_PID = v.PID join TRM_CODESYSTEM s on v.CODESYSTEM_PID = s.PID"
                + " where s.CODE_SYSTEM_URI = 'http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument'", Integer.class);
        assertThat(concepts).isEqualTo(154);
    }
}
