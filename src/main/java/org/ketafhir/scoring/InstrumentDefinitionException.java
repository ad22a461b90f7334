package org.ketafhir.scoring;

/** A Questionnaire whose scoring data is inconsistent: raised once, when the catalog is built. */
public class InstrumentDefinitionException extends RuntimeException {

    public InstrumentDefinitionException(String message) {
        super(message);
    }

    public InstrumentDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
