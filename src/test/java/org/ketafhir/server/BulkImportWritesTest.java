package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.util.TransactionSemanticsHeader;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.junit.jupiter.api.Test;

class BulkImportWritesTest {

    @Test
    void theServersOwnWritesShouldStayTrusted() {
        SystemRequestDetails derived = new SystemRequestDetails();

        assertThat(BulkImportWrites.isServerOwnWrite(derived)).isTrue();
        assertThat(BulkImportWrites.isImportWrite(derived)).isFalse();
    }

    @Test
    void theWritesOfTheImportStepShouldBeCheckedLikeAClientsWrites() {
        // as HAPI's ConsumeFilesStepV2 builds its request
        SystemRequestDetails imported = new SystemRequestDetails();
        imported.addHeader(TransactionSemanticsHeader.HEADER_NAME, TransactionSemanticsHeader.newBuilder()
                .withTryBatchAsTransactionFirst(true).withRetryCount(3).build().toHeaderValue());

        assertThat(BulkImportWrites.isImportWrite(imported)).isTrue();
        assertThat(BulkImportWrites.isServerOwnWrite(imported)).isFalse();
    }

    @Test
    void aClientsRequestShouldBeNeither() {
        ServletRequestDetails client = new ServletRequestDetails();

        assertThat(BulkImportWrites.isImportWrite(client)).isFalse();
        assertThat(BulkImportWrites.isServerOwnWrite(client)).isFalse();
    }
}
