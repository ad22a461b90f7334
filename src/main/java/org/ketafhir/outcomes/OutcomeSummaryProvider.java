package org.ketafhir.outcomes;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * The {@code $outcome-summary} operations: parameters mapped, the work done by {@link OutcomeSummaries}. Names and
 * types follow the guide's OperationDefinitions outcome-summary (Patient, CarePlan) and outcome-summary-cohort
 * (system, Group). Dates are days in UTC: {@code start} from its first instant, {@code end} to its last.
 */
final class OutcomeSummaryProvider {

    private final OutcomeSummaries summaries;

    OutcomeSummaryProvider(OutcomeSummaries summaries) {
        this.summaries = summaries;
    }

    /** @see <a href="http://ketafhir.org/fhir/OperationDefinition/outcome-summary">OperationDefinition outcome-summary</a> */
    @Operation(name = "$outcome-summary", idempotent = true, type = Patient.class)
    public IBaseResource patientSummary(
            @IdParam IdType id,
            @OperationParam(name = "instrument") List<StringType> instrument,
            @OperationParam(name = "start", max = 1) DateType start,
            @OperationParam(name = "end", max = 1) DateType end,
            @OperationParam(name = "output", max = 1) CodeType output,
            @OperationParam(name = "series", max = 1) BooleanType series,
            RequestDetails request) {
        return individual(id.withResourceType("Patient"), instrument, start, end, output, series, request);
    }

    /** @see <a href="http://ketafhir.org/fhir/OperationDefinition/outcome-summary">OperationDefinition outcome-summary</a> */
    @Operation(name = "$outcome-summary", idempotent = true, type = CarePlan.class)
    public IBaseResource courseSummary(
            @IdParam IdType id,
            @OperationParam(name = "instrument") List<StringType> instrument,
            @OperationParam(name = "start", max = 1) DateType start,
            @OperationParam(name = "end", max = 1) DateType end,
            @OperationParam(name = "output", max = 1) CodeType output,
            @OperationParam(name = "series", max = 1) BooleanType series,
            RequestDetails request) {
        return individual(id.withResourceType("CarePlan"), instrument, start, end, output, series, request);
    }

    /** @see <a href="http://ketafhir.org/fhir/OperationDefinition/outcome-summary-cohort">OperationDefinition outcome-summary-cohort</a> */
    @Operation(name = "$outcome-summary", idempotent = true)
    public MeasureReport cohortSummary(
            @OperationParam(name = "instrument", max = 1) StringType instrument,
            @OperationParam(name = "condition") List<StringType> condition,
            @OperationParam(name = "route") List<StringType> route,
            @OperationParam(name = "start", max = 1) DateType start,
            @OperationParam(name = "end", max = 1) DateType end,
            @OperationParam(name = "psychotherapy", max = 1) BooleanType psychotherapy,
            @OperationParam(name = "baseline-severity") List<StringType> baselineSeverity,
            RequestDetails request) {
        return cohort(null, instrument, condition, route, start, end, psychotherapy, baselineSeverity, request);
    }

    /** @see <a href="http://ketafhir.org/fhir/OperationDefinition/outcome-summary-cohort">OperationDefinition outcome-summary-cohort</a> */
    @Operation(name = "$outcome-summary", idempotent = true, type = Group.class)
    public MeasureReport groupSummary(
            @IdParam IdType id,
            @OperationParam(name = "instrument", max = 1) StringType instrument,
            @OperationParam(name = "condition") List<StringType> condition,
            @OperationParam(name = "route") List<StringType> route,
            @OperationParam(name = "start", max = 1) DateType start,
            @OperationParam(name = "end", max = 1) DateType end,
            @OperationParam(name = "psychotherapy", max = 1) BooleanType psychotherapy,
            @OperationParam(name = "baseline-severity") List<StringType> baselineSeverity,
            RequestDetails request) {
        return cohort(id.withResourceType("Group"), instrument, condition, route, start, end, psychotherapy,
                baselineSeverity, request);
    }

    private IBaseResource individual(IdType id, List<StringType> instrument, DateType start, DateType end,
            CodeType output, BooleanType series, RequestDetails request) {
        String format = output == null || output.getValue() == null ? "summary" : output.getValue();
        if (!format.equals("summary") && !format.equals("document")) {
            throw new InvalidRequestException(
                    "Parameter 'output': '" + format + "' is not one of summary, document (ValueSet ketafhir-outcome-summary-output)");
        }
        Instant from = startOf(start);
        Instant until = endOf(end);
        checkOrder(from, until);
        return summaries.forPatientOrCourse(id, strings(instrument), from, until, format.equals("document"),
                series != null && Boolean.TRUE.equals(series.getValue()), request);
    }

    private MeasureReport cohort(IdType group, StringType instrument, List<StringType> condition, List<StringType> route,
            DateType start, DateType end, BooleanType psychotherapy, List<StringType> baselineSeverity,
            RequestDetails request) {
        Instant from = startOf(start);
        Instant until = endOf(end);
        checkOrder(from, until);
        CohortFilter filter = new CohortFilter(
                tokens("condition", condition), tokens("route", route), from, until,
                psychotherapy == null ? null : psychotherapy.getValue(),
                tokens("baseline-severity", baselineSeverity), null);
        return summaries.forCohort(instrument == null ? null : instrument.getValue(), filter, group, request);
    }

    private static List<String> strings(List<StringType> values) {
        return values == null ? List.of()
                : values.stream().map(StringType::getValue).filter(v -> v != null && !v.isBlank()).toList();
    }

    private static Set<String> tokens(String name, List<StringType> values) {
        Set<String> tokens = strings(values).stream().flatMap(v -> List.of(v.split(",")).stream()).map(String::trim)
                .collect(Collectors.toSet());
        for (String token : tokens) {
            int bar = token.indexOf('|');
            if (bar <= 0 || bar == token.length() - 1) {
                throw new InvalidRequestException("Parameter '" + name + "': '" + token
                        + "' must be a token system|code, e.g. http://snomed.info/sct|36474008");
            }
        }
        return tokens;
    }

    private static Instant startOf(DateType date) {
        return date == null || date.getValue() == null ? null : day(date).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Instant endOf(DateType date) {
        return date == null || date.getValue() == null ? null
                : day(date).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
    }

    private static LocalDate day(DateType date) {
        return LocalDate.of(date.getYear(), date.getMonth() + 1, date.getDay());
    }

    private static void checkOrder(Instant from, Instant until) {
        if (from != null && until != null && from.isAfter(until)) {
            throw new InvalidRequestException("Parameters 'start' and 'end': start is after end");
        }
    }
}
