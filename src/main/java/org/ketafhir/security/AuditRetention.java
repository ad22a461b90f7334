package org.ketafhir.security;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes audit log entries older than the retention period ({@code ketafhir.security.audit-retention-days}), an
 * hour after start and every six hours after. A retention of zero days keeps everything: nothing is scheduled.
 */
final class AuditRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditLog auditLog;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService schedule;

    AuditRetention(AuditLog auditLog, Duration retention, Clock clock) {
        this.auditLog = auditLog;
        this.retention = retention;
        this.clock = clock;
        if (retention.isZero()) {
            this.schedule = null; // keep for ever: nothing to schedule
            return;
        }
        this.schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "audit-retention");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::purge, 1, 6, TimeUnit.HOURS);
    }

    /** @return the events deleted */
    int purge() {
        try {
            int deleted = auditLog.deleteRecordedBefore(clock.instant().minus(retention));
            if (deleted > 0) {
                log.info("{} audit log entries older than {} days deleted", deleted, retention.toDays());
            }
            return deleted;
        } catch (RuntimeException failure) {
            log.error("Audit log retention failed ({}); will try again", failure.getClass().getSimpleName(), failure);
            return 0;
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }
}
