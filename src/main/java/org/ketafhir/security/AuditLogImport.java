package org.ketafhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.ketafhir.server.StartupOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings AuditEvents that earlier versions stored as HAPI resources into the {@link AuditLog}, once, on the first
 * start of this version on such a database (the server is not ready until it is done). Their ids and contents are
 * kept; the old rows stay where they are, unread. Nothing new is stored there: the server writes to the log, and
 * clients cannot write AuditEvents into HAPI's tables ({@link AuditEventGuard}).
 */
@Order(StartupOrder.DATA)
final class AuditLogImport implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AuditLogImport.class);
    private static final int BATCH = 500;

    private final AuditLog auditLog;
    private final IFhirResourceDao<AuditEvent> dao;
    private final FhirContext fhir;
    private final TransactionTemplate transactions;

    AuditLogImport(AuditLog auditLog, IFhirResourceDao<AuditEvent> dao, FhirContext fhir, TransactionTemplate transactions) {
        this.auditLog = auditLog;
        this.dao = dao;
        this.fhir = fhir;
        this.transactions = transactions;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (auditLog.imported()) {
            return;
        }
        List<IResourcePersistentId<?>> ids = transactions.execute(status ->
                dao.<IResourcePersistentId<?>>searchForIds(SearchParameterMap.newSynchronous(), new SystemRequestDetails()));
        int imported = 0;
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<IResourcePersistentId<?>> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            imported += transactions.execute(status -> {
                List<AuditLog.Entry> entries = new ArrayList<>();
                for (IResourcePersistentId<?> id : batch) {
                    AuditEvent event = dao.readByPid(id);
                    String eventId = event.getIdElement().getIdPart();
                    if (!auditLog.contains(eventId)) {
                        entries.add(AuditLogWriter.entry(fhir, event));
                    }
                }
                auditLog.append(entries);
                return entries.size();
            });
        }
        transactions.executeWithoutResult(status -> auditLog.markImported());
        if (!ids.isEmpty()) {
            log.info("{} AuditEvents stored by an earlier version moved into the audit log", imported);
        }
    }
}
