package org.ketafhir.scoring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.Coding;

/**
 * The ids of what the server derives from a stored QuestionnaireResponse. They are a function of the response id
 * (and the score code), so storing the same response again updates the same resources instead of adding new
 * ones, without a search: {@code Observation/score-<response id>-<score code>}, {@code Flag/signal-<response id>}
 * and {@code Task/signal-review-<response id>}. A signal escalated after the clinician closed the first Flag or Task
 * gets its own, named after the signal as well ({@code Flag/signal-<response id>-<signal code>}), so a retried
 * request finds what it wrote. When that would exceed FHIR's 64 characters, the part after the prefix is a SHA-256
 * digest instead ({@code score-h<40 hex>}).
 */
final class DerivedResourceIds {

    private static final int MAX_ID_LENGTH = 64;
    private static final Pattern ID_CHARACTERS = Pattern.compile("[A-Za-z0-9\\-.]+");

    private DerivedResourceIds() {}

    /** The id of the outcome-score Observation of one score of a response. */
    static String observation(String responseId, Coding scoreCode) {
        Objects.requireNonNull(scoreCode, "scoreCode");
        return derived("score-", responseId, scoreCode.getCode(), scoreCode.getSystem() + "|" + scoreCode.getCode());
    }

    /** The id of the safety Flag a response raised. */
    static String flag(String responseId) {
        return derived("signal-", responseId, null, "flag");
    }

    /** The id of the review Task a response's safety signal raised. */
    static String task(String responseId) {
        return derived("signal-review-", responseId, null, "task");
    }

    /** The id of the Flag raised for a worse signal of a response whose first Flag a clinician had closed. */
    static String flag(String responseId, Coding signal) {
        Objects.requireNonNull(signal, "signal");
        return derived("signal-", responseId, signal.getCode(), "flag|" + signal.getSystem() + "|" + signal.getCode());
    }

    /** The id of the Task raised for a worse signal of a response whose first Task a clinician had closed. */
    static String task(String responseId, Coding signal) {
        Objects.requireNonNull(signal, "signal");
        return derived("signal-review-", responseId, signal.getCode(),
                "task|" + signal.getSystem() + "|" + signal.getCode());
    }

    private static String derived(String prefix, String responseId, String suffix, String digestSalt) {
        if (responseId == null || responseId.isBlank()) {
            throw new IllegalArgumentException("a derived id needs the id of a stored QuestionnaireResponse");
        }
        String readable = prefix + responseId + (suffix == null ? "" : "-" + suffix);
        if (readable.length() <= MAX_ID_LENGTH && ID_CHARACTERS.matcher(readable).matches()) {
            return readable;
        }
        return prefix + "h" + sha256(responseId + "|" + digestSalt).substring(0, 40);
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
