package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupStratifierComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.ketafhir.outcomes.CohortOutcome.Counts;
import org.ketafhir.outcomes.CohortOutcome.Rate;

/**
 * Writes a {@link CohortOutcome} as a summary MeasureReport against the guide's Measure outcome-summary-cohort, whose
 * group descriptions state each population rule. Rates are proportions (0..1) with their populations; change and
 * safety figures are groups with a score only.
 */
final class CohortMeasureReport {

    static final String MEASURE = "http://ketafhir.org/fhir/Measure/outcome-summary-cohort";
    static final String GROUPS = "http://ketafhir.org/fhir/CodeSystem/ketafhir";
    private static final String POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population";

    private final OutcomeCodes codes;

    CohortMeasureReport(OutcomeCodes codes) {
        this.codes = codes;
    }

    MeasureReport write(CohortOutcome outcome, Instant periodStart, Instant periodEnd, Instant now, String group) {
        MeasureReport report = new MeasureReport();
        report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        report.setType(MeasureReport.MeasureReportType.SUMMARY);
        report.setMeasure(MEASURE);
        report.setDate(Date.from(now));
        report.setImprovementNotation(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/measure-improvement-notation", "increase", "Increased score indicates improvement")));
        Period period = new Period();
        period.setStart(periodStart == null ? null : Date.from(periodStart));
        period.setEnd(Date.from(periodEnd == null ? now : periodEnd));
        report.setPeriod(period);
        if (group != null) {
            report.setSubject(new Reference("Group/" + group));
        }
        report.addEvaluatedResource(new Reference().setDisplay(outcome.instrument().title())
                .setReference("Questionnaire/" + outcome.instrument().id()));
        for (Rate rate : outcome.rates()) {
            MeasureReportGroupComponent g = report.addGroup();
            g.setCode(code(rate.code()));
            populations(g, rate.overall());
            score(rate.overall().score(), g);
            rate.strata().forEach((stratifier, values) -> {
                MeasureReportGroupStratifierComponent s = g.addStratifier();
                s.addCode().setText(stratifier);
                for (Map.Entry<String, Counts> value : values.entrySet()) {
                    StratifierGroupComponent stratum = s.addStratum();
                    stratum.setValue(stratumValue(value.getKey()));
                    for (String population : new String[] {"initial-population", "denominator", "numerator"}) {
                        stratum.addPopulation().setCode(populationCode(population)).setCount(count(value.getValue(), population));
                    }
                    BigDecimal score = value.getValue().score();
                    if (score != null) {
                        stratum.setMeasureScore(proportion(score));
                    }
                }
            });
        }
        // Non-completers have no end of induction: the end-of-induction rates leave them out, this group counts them.
        MeasureReportGroupComponent notCompleted = report.addGroup().setCode(code("induction-not-completed"));
        Counts incomplete = new Counts(outcome.treated(), outcome.treated(), outcome.inductionNotCompleted());
        populations(notCompleted, incomplete);
        score(incomplete.score(), notCompleted);
        statistic(report, "change-mean", outcome.meanChange(), outcome.evaluable());
        statistic(report, "change-median", outcome.medianChange(), outcome.evaluable());
        statistic(report, "effect-size", outcome.effectSize(), outcome.evaluable());
        statistic(report, "adverse-events-per-session", ratio(outcome.adverseEvents(), outcome.sessions()), outcome.sessions());
        statistic(report, "adverse-events-per-patient", ratio(outcome.adverseEvents(), outcome.treated()), outcome.treated());
        return report;
    }

    private static void populations(MeasureReportGroupComponent group, Counts counts) {
        for (String population : new String[] {"initial-population", "denominator", "numerator"}) {
            group.addPopulation().setCode(populationCode(population)).setCount(count(counts, population));
        }
    }

    private static int count(Counts counts, String population) {
        return switch (population) {
            case "initial-population" -> counts.initialPopulation();
            case "denominator" -> counts.denominator();
            default -> counts.numerator();
        };
    }

    private static void score(BigDecimal score, MeasureReportGroupComponent group) {
        if (score != null) {
            group.setMeasureScore(proportion(score));
        }
    }

    private static void statistic(MeasureReport report, String code, BigDecimal value, int denominator) {
        MeasureReportGroupComponent group = report.addGroup().setCode(code(code));
        group.addPopulation().setCode(populationCode("denominator")).setCount(denominator);
        if (value != null) {
            group.setMeasureScore(new Quantity().setValue(value));
        }
    }

    private static BigDecimal ratio(int numerator, int denominator) {
        return denominator == 0 ? null
                : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 4, java.math.RoundingMode.HALF_UP);
    }

    private static Quantity proportion(BigDecimal value) {
        return new Quantity().setValue(value).setUnit("1").setSystem("http://unitsofmeasure.org").setCode("1");
    }

    private static CodeableConcept code(String code) {
        return new CodeableConcept(new Coding(GROUPS, code, null));
    }

    private static CodeableConcept populationCode(String code) {
        return new CodeableConcept(new Coding(POPULATION, code, null));
    }

    private CodeableConcept stratumValue(String value) {
        int bar = value.indexOf('|');
        if (bar < 0) {
            return new CodeableConcept().setText(value);
        }
        Coding coding = new Coding(value.substring(0, bar), value.substring(bar + 1), null);
        String display = codes.describe(value);
        if (!display.equals(value)) {
            coding.setDisplay(display);
        }
        return new CodeableConcept(coding).setText(display);
    }
}
