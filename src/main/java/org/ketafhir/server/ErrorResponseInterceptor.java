package org.ketafhir.server;

import ca.uhn.fhir.i18n.Msg;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.sql.SQLException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IIdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapes what a client sees when a request fails.
 *
 * <ul>
 *   <li>A version conflict on a request that carried {@code If-Match} is a failed precondition: FHIR R4
 *       (http.html, "Managing Resource Contention") prescribes 412, where HAPI answers 409.</li>
 *   <li>A body in a media type the server cannot read is 415 Unsupported Media Type, where HAPI answers 400.</li>
 *   <li>Unparseable values in the request (HAPI's {@link DataFormatException}) are the client's error: 400.</li>
 *   <li>A request for a resource id that is not a valid FHIR id is 400, not HAPI's 404 "unknown resource".</li>
 *   <li>A value the database refuses as out of range or too long (SQL state class 22) is the client's input: 400.
 *       A write the database refuses for a constraint is HAPI's 409, without the SQL statement HAPI quotes.</li>
 *   <li>An unexpected failure becomes a 500 whose OperationOutcome names an incident id and nothing else: no
 *       exception text, SQL or stack trace reaches the client. The details go to the server log under the same
 *       id, without the request body.</li>
 * </ul>
 */
@Interceptor
public class ErrorResponseInterceptor {

    /** HAPI's message code for a request body in a Content-Type it cannot parse. */
    private static final int UNSUPPORTED_CONTENT_TYPE = 449;
    /** HAPI's message code for a write the database refused (a constraint), which quotes the SQL statement. */
    private static final int DATA_INTEGRITY_VIOLATION = 550;
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Logger log = LoggerFactory.getLogger(ErrorResponseInterceptor.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException shapeOutgoingException(RequestDetails request, Throwable failure) {
        if (failure instanceof ResourceVersionConflictException conflict && hasIfMatch(request)) {
            return new PreconditionFailedException("If-Match precondition failed: " + conflict.getMessage());
        }
        if (failure instanceof InvalidRequestException invalid && invalid.getMessage() != null
                && invalid.getMessage().startsWith(Msg.code(UNSUPPORTED_CONTENT_TYPE))) {
            return new UnclassifiedServerFailureException(415, invalid.getMessage());
        }
        if (failure instanceof DataFormatException badValue) {
            // HAPI raises this for unparseable client input (e.g. a search parameter "birthdate=notadate").
            return new InvalidRequestException(badValue.getMessage());
        }
        String dataError = sqlDataException(failure);
        if (dataError != null) {
            // SQL state class 22 (numeric value out of range, string too long, ...): a value the client sent
            log.info("{} {} refused: the database rejected a value (SQL state {})", request.getRequestType(),
                    request.getRequestPath(), dataError);
            return new InvalidRequestException("A value in the request is outside the range or length the server can "
                    + "store (SQL state " + dataError + "); nothing was stored");
        }
        if (failure instanceof ResourceVersionConflictException conflict && conflict.getMessage() != null
                && conflict.getMessage().startsWith(Msg.code(DATA_INTEGRITY_VIOLATION))) {
            // HAPI puts the failed SQL statement into this message: the client learns what happened, not the SQL
            log.info("{} {} refused: the database refused a concurrent write ({})", request.getRequestType(),
                    request.getRequestPath(), Msg.code(DATA_INTEGRITY_VIOLATION));
            return new ResourceVersionConflictException("The write conflicts with data stored at the same moment by "
                    + "another request; nothing was stored. Retry the request.");
        }
        if (failure instanceof BaseServerResponseException known && known.getStatusCode() != 500) {
            return known;
        }
        String incident = UUID.randomUUID().toString();
        log.error("Incident {}: {} {} failed with {}", incident, request.getRequestType(),
                request.getRequestPath(), failure.getClass().getName(), failure);
        return new InternalErrorException(
                "The server could not complete the request. Incident " + incident + " has been logged.");
    }

    /** The SQL state of a data exception (class 22) among the causes, or null. */
    private static String sqlDataException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return sql.getSQLState();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /** FHIR R4 ids: 1 to 64 of A-Z, a-z, 0-9, '-' and '.' (datatypes.html#id). */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void refuseInvalidIds(RequestDetails request) {
        IIdType id = request.getId();
        if (id != null && id.hasIdPart() && !VALID_ID.matcher(id.getIdPart()).matches()) {
            throw new InvalidRequestException("Invalid resource id '" + id.getIdPart()
                    + "': a FHIR id is 1 to 64 characters of A-Z, a-z, 0-9, '-' and '.'");
        }
    }

    private static boolean hasIfMatch(RequestDetails request) {
        String ifMatch = request.getHeader(Constants.HEADER_IF_MATCH);
        return ifMatch != null && !ifMatch.isBlank();
    }
}
