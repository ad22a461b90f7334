package org.ketafhir.server;

import ca.uhn.fhir.jpa.util.TransactionSemanticsHeader;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

/**
 * Tells the writes of a Bulk Data {@code $import} apart from the server's own derived writes. Both arrive as a
 * {@link SystemRequestDetails}; HAPI's import step ({@code ConsumeFilesStepV2}) is the server-side writer that sends
 * its batch Bundle with the {@value TransactionSemanticsHeader#HEADER_NAME} header (try as a transaction, retry,
 * then entry by entry). A client's request is never a {@code SystemRequestDetails}, so checks that trust the
 * server's own writes keep doing so, and checks the import must pass see it as a client write. Should HAPI start to
 * set the header on other internal writes, those would be checked too: the mistake would be a check too many,
 * never one missing.
 */
public final class BulkImportWrites {

    private BulkImportWrites() {}

    /** Whether the write comes from the data of a {@code $import}, not from the server itself. */
    public static boolean isImportWrite(RequestDetails request) {
        return request instanceof SystemRequestDetails
                && request.getHeader(TransactionSemanticsHeader.HEADER_NAME) != null;
    }

    /** Whether a write is the server's own (derived data, guide install), to be trusted as such. */
    public static boolean isServerOwnWrite(RequestDetails request) {
        return request instanceof SystemRequestDetails && !isImportWrite(request);
    }
}
