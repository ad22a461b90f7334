package org.ketafhir.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ketafhir.server.StartupOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the outcome index from the stored FHIR resources when it is new or of an older format (first start of this
 * version on an existing database): the index is derived data, the resources stay the record.
 */
@Order(StartupOrder.DATA)
final class OutcomeIndexBuilder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(OutcomeIndexBuilder.class);
    private static final int BATCH = 500;

    private final OutcomeIndex index;
    private final OutcomeIndexInterceptor writer;
    private final DaoRegistry daos;
    private final TransactionTemplate transactions;

    OutcomeIndexBuilder(OutcomeIndex index, OutcomeIndexInterceptor writer, DaoRegistry daos, TransactionTemplate transactions) {
        this.index = index;
        this.writer = writer;
        this.daos = daos;
        this.transactions = transactions;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (transactions.execute(status -> index.needsRebuild())) {
            rebuild();
        }
    }

    /** Empties the index and reads every resource that can carry facts into it again. */
    void rebuild() {
        long started = System.nanoTime();
        transactions.executeWithoutResult(status -> index.clear());
        int resources = 0;
        for (String type : OutcomeFactExtractor.TYPES.stream().sorted().toList()) {
            @SuppressWarnings("unchecked")
            IFhirResourceDao<IBaseResource> dao = daos.getResourceDao(type);
            List<IResourcePersistentId<?>> ids = transactions.execute(status ->
                    dao.<IResourcePersistentId<?>>searchForIds(SearchParameterMap.newSynchronous(), new SystemRequestDetails()));
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<IResourcePersistentId<?>> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
                transactions.executeWithoutResult(status -> batch.forEach(id -> writer.store(dao.readByPid(id))));
            }
            resources += ids.size();
        }
        transactions.executeWithoutResult(status -> index.markBuilt());
        log.info("Outcome index built from {} stored resources in {} ms", resources, (System.nanoTime() - started) / 1_000_000);
    }
}
