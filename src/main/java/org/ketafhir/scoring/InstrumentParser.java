package org.ketafhir.scoring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task.TaskPriority;
import org.hl7.fhir.r4.model.Type;

/** Reads the scoring data of one Questionnaire into an {@link Instrument}, checking it is consistent. */
final class InstrumentParser {

    private static final Map<String, TaskPriority> PRIORITIES = Map.of(
            "routine", TaskPriority.ROUTINE, "urgent", TaskPriority.URGENT, "asap", TaskPriority.ASAP,
            "stat", TaskPriority.STAT);

    private final Questionnaire questionnaire;
    private final String where;
    private final Map<String, ScoredItem> items = new LinkedHashMap<>();
    private final Map<String, Coding> reportedItems = new LinkedHashMap<>();

    private InstrumentParser(Questionnaire questionnaire) {
        this.questionnaire = questionnaire;
        this.where = "Questionnaire " + questionnaire.getUrl();
    }

    static boolean declaresInstrument(Questionnaire questionnaire) {
        return questionnaire.hasExtension(InstrumentCatalog.SCORING_EXTENSION)
                || questionnaire.hasExtension(InstrumentCatalog.SAFETY_RULE_EXTENSION);
    }

    static Instrument parse(Questionnaire questionnaire) {
        if (!questionnaire.hasUrl()) {
            throw new InstrumentDefinitionException("a Questionnaire with scoring extensions has no url (id "
                    + questionnaire.getIdElement().getIdPart() + ")");
        }
        return new InstrumentParser(questionnaire).parse();
    }

    private Instrument parse() {
        readItems(questionnaire.getItem());
        List<ScoreDefinition> scores = new ArrayList<>();
        for (Extension ext : questionnaire.getExtensionsByUrl(InstrumentCatalog.SCORING_EXTENSION)) {
            scores.add(readScore(ext));
        }
        Set<String> scoreCodes = new LinkedHashSet<>();
        scores.forEach(s -> {
            if (!scoreCodes.add(s.codeToken())) {
                throw fail("score " + s.codeToken() + " is declared twice");
            }
        });
        List<SafetyRule> rules = new ArrayList<>();
        for (Extension ext : questionnaire.getExtensionsByUrl(InstrumentCatalog.SAFETY_RULE_EXTENSION)) {
            rules.add(readRule(ext));
        }
        checkRuleOrder(rules);
        return new Instrument(
                questionnaire.getUrl(),
                questionnaire.getVersion(),
                questionnaire.getTitle(),
                questionnaire.getCode(),
                items,
                reportedItems,
                scores,
                rules);
    }

    private void readItems(List<QuestionnaireItemComponent> level) {
        for (QuestionnaireItemComponent item : level) {
            List<AnswerOption> options = new ArrayList<>();
            for (QuestionnaireItemAnswerOptionComponent option : item.getAnswerOption()) {
                if (option.hasValueCoding()) {
                    Coding coding = option.getValueCoding();
                    Extension weight = coding.getExtensionByUrl(InstrumentCatalog.ORDINAL_VALUE);
                    if (weight == null) {
                        weight = option.getExtensionByUrl(InstrumentCatalog.ORDINAL_VALUE);
                    }
                    if (weight != null) {
                        Coding bare = new Coding(coding.getSystem(), coding.getCode(), coding.getDisplay());
                        options.add(new AnswerOption(bare, toWholeNumber(weight.getValue(), "ordinalValue of "
                                + item.getLinkId() + " answer " + coding.getCode())));
                    }
                }
            }
            if (!options.isEmpty()) {
                if (options.size() != item.getAnswerOption().size()) {
                    throw fail("item " + item.getLinkId() + " weighs some answers but not all");
                }
                Set<String> codes = new LinkedHashSet<>();
                item.getCode().forEach(c -> codes.add(c.getCode()));
                putUnique(item.getLinkId(), new ScoredItem(item.getLinkId(), codes, options));
            } else if (item.getReadOnly() && item.getType() == QuestionnaireItemType.INTEGER && item.hasCode()) {
                if (items.containsKey(item.getLinkId()) || reportedItems.containsKey(item.getLinkId())) {
                    throw fail("linkId " + item.getLinkId() + " is used twice");
                }
                reportedItems.put(item.getLinkId(), item.getCodeFirstRep().copy());
            }
            readItems(item.getItem());
        }
    }

    private void putUnique(String linkId, ScoredItem item) {
        if (items.containsKey(linkId) || reportedItems.containsKey(linkId)) {
            throw fail("linkId " + linkId + " is used twice");
        }
        items.put(linkId, item);
    }

    private ScoreDefinition readScore(Extension ext) {
        Coding code = null;
        List<ScoreTerm> terms = new ArrayList<>();
        List<SeverityBand> bands = new ArrayList<>();
        Prorating prorating = null;
        BigDecimal responseDecrease = null;
        Integer remissionMax = null;
        Integer meaningfulChange = null;
        Integer reliableChange = null;
        Integer worseningIncrease = null;
        for (Extension sub : ext.getExtension()) {
            String what = "instrument-scoring." + sub.getUrl();
            switch (sub.getUrl()) {
                case "code" -> code = coding(sub, what);
                case "item" -> terms.add(ScoreTerm.item(knownItem(string(sub, what), what)));
                case "domain" -> terms.add(readDomain(sub));
                case "band" -> bands.add(readBand(sub));
                case "prorating" -> prorating = readProrating(sub);
                case "responseDecrease" -> responseDecrease = decimal(sub, what);
                case "remissionMax" -> remissionMax = integer(sub, what);
                case "meaningfulChange" -> meaningfulChange = integer(sub, what);
                case "reliableChange" -> reliableChange = integer(sub, what);
                case "worseningIncrease" -> worseningIncrease = integer(sub, what);
                default -> throw fail("unknown sub-extension " + what);
            }
        }
        if (code == null) {
            throw fail("an instrument-scoring extension has no code");
        }
        String label = "score " + code.getSystem() + "|" + code.getCode();
        if (terms.isEmpty()) {
            throw fail(label + " sums no item");
        }
        if (prorating == null) {
            throw fail(label + " states no prorating rule (use method 'none' when the manual allows none)");
        }
        Set<String> seen = new LinkedHashSet<>();
        terms.forEach(t -> t.linkIds().forEach(id -> {
            if (!seen.add(id)) {
                throw fail(label + " counts item " + id + " twice");
            }
        }));
        int minimum = terms.stream().mapToInt(this::termMinimum).sum();
        int maximum = terms.stream().mapToInt(this::termMaximum).sum();
        bands.sort((a, b) -> Integer.compare(a.low(), b.low()));
        checkBands(label, bands, minimum, maximum);
        String scoreSystem = code.getSystem();
        String scoreCode = code.getCode();
        String reportedIn = reportedItems.entrySet().stream()
                .filter(e -> scoreSystem.equals(e.getValue().getSystem()) && scoreCode.equals(e.getValue().getCode()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        return new ScoreDefinition(
                code,
                terms,
                bands,
                prorating,
                new OutcomeThresholds(responseDecrease, remissionMax, meaningfulChange, reliableChange, worseningIncrease),
                reportedIn,
                minimum,
                maximum);
    }

    private int termMinimum(ScoreTerm term) {
        return term.linkIds().stream().mapToInt(id -> items.get(id).minWeight()).max().orElse(0);
    }

    private int termMaximum(ScoreTerm term) {
        return term.linkIds().stream().mapToInt(id -> items.get(id).maxWeight()).max().orElse(0);
    }

    private void checkBands(String label, List<SeverityBand> bands, int minimum, int maximum) {
        if (bands.isEmpty()) {
            return;
        }
        int expectedLow = minimum;
        for (SeverityBand band : bands) {
            if (band.low() != expectedLow || band.high() < band.low()) {
                throw fail(label + ": bands must cover " + minimum + ".." + maximum
                        + " without gap or overlap; band " + band.low() + ".." + band.high() + " does not start at "
                        + expectedLow);
            }
            expectedLow = band.high() + 1;
        }
        if (expectedLow - 1 != maximum) {
            throw fail(label + ": the last band ends at " + (expectedLow - 1) + " but the maximum score is " + maximum);
        }
    }

    private ScoreTerm readDomain(Extension domain) {
        String label = null;
        List<String> linkIds = new ArrayList<>();
        Integer minAnswered = null;
        for (Extension sub : domain.getExtension()) {
            String what = "instrument-scoring.domain." + sub.getUrl();
            switch (sub.getUrl()) {
                case "label" -> label = string(sub, what);
                case "item" -> linkIds.add(knownItem(string(sub, what), what));
                case "minAnswered" -> minAnswered = integer(sub, what);
                default -> throw fail("unknown sub-extension " + what);
            }
        }
        if (linkIds.isEmpty()) {
            throw fail("a domain of instrument-scoring has no item");
        }
        int min = minAnswered == null ? linkIds.size() : minAnswered;
        if (min < 1 || min > linkIds.size()) {
            throw fail("domain " + label + ": minAnswered " + min + " is not within 1.." + linkIds.size());
        }
        return new ScoreTerm(label == null ? String.join("+", linkIds) : label, linkIds, min);
    }

    private SeverityBand readBand(Extension band) {
        Integer low = null;
        Integer high = null;
        Coding interpretation = null;
        for (Extension sub : band.getExtension()) {
            String what = "instrument-scoring.band." + sub.getUrl();
            switch (sub.getUrl()) {
                case "low" -> low = integer(sub, what);
                case "high" -> high = integer(sub, what);
                case "interpretation" -> interpretation = coding(sub, what);
                default -> throw fail("unknown sub-extension " + what);
            }
        }
        if (low == null || high == null || interpretation == null) {
            throw fail("a band needs low, high and interpretation");
        }
        return new SeverityBand(low, high, interpretation);
    }

    private Prorating readProrating(Extension prorating) {
        Prorating.Method method = null;
        Integer maxMissing = null;
        String note = null;
        for (Extension sub : prorating.getExtension()) {
            String what = "instrument-scoring.prorating." + sub.getUrl();
            switch (sub.getUrl()) {
                case "method" -> method = switch (string(sub, what)) {
                    case "none" -> Prorating.Method.NONE;
                    case "mean" -> Prorating.Method.MEAN;
                    default -> throw fail(what + " must be 'none' or 'mean'");
                };
                case "maxMissing" -> maxMissing = integer(sub, what);
                case "note" -> note = string(sub, what);
                default -> throw fail("unknown sub-extension " + what);
            }
        }
        if (method == null) {
            throw fail("prorating needs a method");
        }
        if (method == Prorating.Method.NONE && maxMissing != null && maxMissing != 0) {
            throw fail("prorating method 'none' cannot allow missing items");
        }
        if (method == Prorating.Method.MEAN && (maxMissing == null || maxMissing < 1)) {
            throw fail("prorating method 'mean' needs maxMissing >= 1");
        }
        return new Prorating(method, maxMissing == null ? 0 : maxMissing, note);
    }

    private SafetyRule readRule(Extension rule) {
        Coding signal = null;
        SignalLevel level = null;
        String expression = null;
        List<String> evidence = new ArrayList<>();
        Coding observation = null;
        Coding flag = null;
        TaskPriority priority = null;
        String action = null;
        for (Extension sub : rule.getExtension()) {
            String what = "instrument-safety-rule." + sub.getUrl();
            switch (sub.getUrl()) {
                case "signal" -> signal = coding(sub, what);
                case "level" -> level = SignalLevel.fromCode(string(sub, what));
                case "expression" -> expression = fhirPath(sub, what);
                case "evidence" -> evidence.add(knownItem(string(sub, what), what));
                case "observation" -> observation = coding(sub, what);
                case "flag" -> flag = coding(sub, what);
                case "priority" -> priority = priority(string(sub, what), what);
                case "action" -> action = string(sub, what);
                default -> throw fail("unknown sub-extension " + what);
            }
        }
        if (signal == null || level == null || expression == null || evidence.isEmpty()) {
            throw fail("a safety rule needs signal, level, expression and at least one evidence item");
        }
        String label = "safety rule " + signal.getCode();
        if (priority == null) {
            throw fail(label + " states no priority (the Task's: routine, urgent, asap or stat)");
        }
        if (action == null || action.isBlank()) {
            throw fail(label + " states no action (what the Task asks the care team to do)");
        }
        return new SafetyRule(signal, level, expression, evidence, new SafetyRule.Policy(flag, priority, action.strip()),
                observation);
    }

    private TaskPriority priority(String code, String what) {
        TaskPriority priority = PRIORITIES.get(code);
        if (priority == null) {
            throw fail(what + " '" + code + "' is not a request priority (routine, urgent, asap or stat)");
        }
        return priority;
    }

    /**
     * Rules are tried in order and escalate by it ({@link SignalEscalation}): a rule listed after another, so less
     * severe, may not ask for a more pressing Task.
     */
    private void checkRuleOrder(List<SafetyRule> rules) {
        Set<String> signals = new LinkedHashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            SafetyRule rule = rules.get(i);
            if (!signals.add(rule.signal().getSystem() + "|" + rule.signal().getCode())) {
                throw fail("safety rule " + rule.signal().getCode() + " is declared twice");
            }
            if (i > 0) {
                SafetyRule before = rules.get(i - 1);
                if (SignalEscalation.rank(rule.policy().priority()) > SignalEscalation.rank(before.policy().priority())) {
                    throw fail("safety rule " + rule.signal().getCode() + " (priority "
                            + rule.policy().priority().toCode() + ") comes after " + before.signal().getCode()
                            + " (priority " + before.policy().priority().toCode()
                            + "): list the rules from the most to the least severe");
                }
            }
        }
    }

    private String knownItem(String linkId, String what) {
        if (!items.containsKey(linkId)) {
            throw fail(what + " names " + linkId + ", which is not a weighted item of the Questionnaire");
        }
        return linkId;
    }

    private String fhirPath(Extension sub, String what) {
        if (!(sub.getValue() instanceof Expression e)) {
            throw fail(what + " must be a valueExpression");
        }
        if (!"text/fhirpath".equals(e.getLanguage()) || !e.hasExpression()) {
            throw fail(what + " must be a text/fhirpath expression");
        }
        return e.getExpression();
    }

    private Coding coding(Extension sub, String what) {
        if (sub.getValue() instanceof Coding c && c.hasSystem() && c.hasCode()) {
            return new Coding(c.getSystem(), c.getCode(), c.getDisplay());
        }
        throw fail(what + " must be a valueCoding with system and code");
    }

    private String string(Extension sub, String what) {
        // valueCode is a StringType too
        if (sub.getValue() instanceof StringType s && s.getValue() != null) {
            return s.getValue();
        }
        throw fail(what + " must be a valueString or valueCode");
    }

    private Integer integer(Extension sub, String what) {
        if (sub.getValue() instanceof IntegerType i && i.getValue() != null) {
            return i.getValue();
        }
        throw fail(what + " must be a valueInteger");
    }

    private BigDecimal decimal(Extension sub, String what) {
        if (sub.getValue() instanceof DecimalType d && d.getValue() != null) {
            return d.getValue();
        }
        throw fail(what + " must be a valueDecimal");
    }

    private int toWholeNumber(Type value, String what) {
        try {
            if (value instanceof DecimalType d && d.getValue() != null) {
                return d.getValue().intValueExact();
            }
            if (value instanceof IntegerType i && i.getValue() != null) {
                return i.getValue();
            }
        } catch (ArithmeticException e) {
            throw fail(what + " must be a whole number");
        }
        throw fail(what + " must be a valueDecimal");
    }

    private InstrumentDefinitionException fail(String message) {
        return new InstrumentDefinitionException(where + ": " + message);
    }
}
