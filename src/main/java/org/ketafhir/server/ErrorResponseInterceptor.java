package org.ketafhir.server;

import ca.uhn.fhir.i18n.Msg;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.util.BundleUtil;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IIdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Shapes what a client sees when a request fails.
 *
 * <ul>
 *   <li>A version conflict on a request that carried {@code If-Match} is a failed precondition: FHIR R4
 *       (http.html, "Managing Resource Contention") prescribes 412, where HAPI answers 409.</li>
 *   <li>A body in a media type the server cannot read is 415 Unsupported Media Type, where HAPI answers 400.</li>
 *   <li>Unparseable values in the request (HAPI's {@link DataFormatException}) are the client's error: 400.</li>
 *   <li>A request for a resource id that is not a valid FHIR id is 400, not HAPI's 404 "unknown resource".</li>
 *   <li>A PATCH document HAPI cannot apply, paging values that are not whole numbers and a Bundle without a type
 *       posted as a transaction are the client's error: 400, where HAPI answered 500 or 200.</li>
 *   <li>A 4xx message keeps no Java exception class name (HAPI quotes some in parse errors).</li>
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
    /**
     * HAPI's message code for a conflicting write: a delete of a referenced resource, or a constraint the database
     * enforced, in which case HAPI quotes the SQL statement.
     */
    private static final int DATA_INTEGRITY_VIOLATION = 550;
    private static final Pattern JAVA_EXCEPTION =
            Pattern.compile("\\b(?:java|javax|jakarta|org|com|ca)\\.[\\w.$]+(?:Exception|Error):?\\s*");
    /** Where HAPI applies FHIRPath, JSON and XML Patch documents. */
    private static final List<String> HAPI_PATCH_PACKAGES = List.of("ca.uhn.fhir.jpa.patch.",
            "ca.uhn.fhir.jpa.util.xmlpatch.", "com.github.dnault.xmlpatch.");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");
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
                && conflict.getMessage().startsWith(Msg.code(DATA_INTEGRITY_VIOLATION))
                && (causedByStorage(failure) || conflict.getMessage().contains("SQL"))) {
            // HAPI puts the failed SQL statement into this message: the client learns what happened, not the SQL
            log.info("{} {} refused: the database refused a concurrent write ({})", request.getRequestType(),
                    request.getRequestPath(), Msg.code(DATA_INTEGRITY_VIOLATION));
            return new ResourceVersionConflictException("The write conflicts with data stored at the same moment by "
                    + "another request; nothing was stored. Retry the request.");
        }
        if (failure instanceof BaseServerResponseException known && known.getStatusCode() != 500) {
            return withoutJavaNames(known);
        }
        List<Throwable> chain = causes(failure);
        Throwable rootCause = chain.get(chain.size() - 1);
        if (request.getRestOperationType() == RestOperationTypeEnum.PATCH && thrownApplyingPatch(failure)) {
            // HAPI wraps whatever applying the patch document threw (a FHIRPath Patch that is not Parameters, a path
            // it cannot parse, XML that is not XML) in a 500; the document is the client's
            log.info("PATCH {} refused: the patch document could not be applied ({})", request.getRequestPath(),
                    rootCause.getClass().getSimpleName());
            return new InvalidRequestException("The PATCH document could not be applied to " + request.getRequestPath()
                    + ": a FHIRPath Patch is a Parameters resource of 'operation' parts (type, path, name, value) with "
                    + "valid FHIRPath paths; a JSON Patch is an RFC 6902 array; an XML Patch is RFC 5261 XML");
        }
        String incident = UUID.randomUUID().toString();
        log.error("Incident {}: {} {} failed with {}", incident, request.getRequestType(),
                request.getRequestPath(), failure.getClass().getName(), failure);
        return new InternalErrorException(
                "The server could not complete the request. Incident " + incident + " has been logged.");
    }

    /**
     * HAPI quotes the Java exception behind some parse errors ({@code java.lang.NumberFormatException: For input
     * string: "99999999999"}): the client keeps the sentence, not the class name.
     */
    private static BaseServerResponseException withoutJavaNames(BaseServerResponseException known) {
        String message = known.getMessage();
        if (message == null || known.getOperationOutcome() != null || !JAVA_EXCEPTION.matcher(message).find()) {
            return known;
        }
        return BaseServerResponseException.newInstance(known.getStatusCode(),
                JAVA_EXCEPTION.matcher(message).replaceAll(""));
    }

    /** The SQL state of a data exception (class 22) among the causes, or null. */
    private static String sqlDataException(Throwable failure) {
        return causes(failure).stream()
                .filter(cause -> cause instanceof SQLException sql && sql.getSQLState() != null
                        && sql.getSQLState().startsWith("22"))
                .map(cause -> ((SQLException) cause).getSQLState())
                .findFirst().orElse(null);
    }

    /** Paging parameters of any request, operations included: {@code $everything?_count=many} failed with 500. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void refuseBadPagingParameters(RequestDetails request) {
        for (String name : List.of(Constants.PARAM_COUNT, Constants.PARAM_OFFSET)) {
            String[] values = request.getParameters().get(name);
            if (values != null) {
                for (String value : values) {
                    if (!WHOLE_NUMBER.matcher(value).matches()) {
                        throw new InvalidRequestException("Invalid " + name + " '" + value
                                + "': it must be a whole number of at least 0");
                    }
                }
            }
        }
    }

    /** Bundle.type is required (1..1): a Bundle without one posted to the base is not a transaction. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuseBundlesWithoutType(RequestDetails request, RestOperationTypeEnum operation) {
        if ((operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH)
                && request.getResource() instanceof IBaseBundle bundle
                && BundleUtil.getBundleType(request.getFhirContext(), bundle) == null) {
            throw new InvalidRequestException("Bundle.type is missing: a Bundle posted to the server base must be of "
                    + "type transaction or batch");
        }
    }

    /**
     * Whether applying the client's document failed, rather than the storage: HAPI's patch code threw, or HAPI could
     * not even pass the body to its patch method (a FHIRPath Patch that is not a Parameters resource).
     */
    private static boolean thrownApplyingPatch(Throwable failure) {
        return !causedByStorage(failure) && causes(failure).stream().anyMatch(cause -> {
            StackTraceElement[] frames = cause.getStackTrace();
            return cause instanceof IllegalArgumentException && frames.length > 0
                    && frames[0].getClassName().startsWith("jdk.internal.reflect")
                    || Arrays.stream(frames).anyMatch(frame ->
                            HAPI_PATCH_PACKAGES.stream().anyMatch(frame.getClassName()::startsWith));
        });
    }

    private static boolean causedByStorage(Throwable failure) {
        return causes(failure).stream().anyMatch(cause -> cause instanceof SQLException
                || cause instanceof DataAccessException || cause instanceof PersistenceException);
    }

    /** The failure and its causes, outermost first. */
    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
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
