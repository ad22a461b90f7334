-- The outcome index (outcomes/OutcomeIndex): one row per fact a stored resource gives the outcome summaries.
-- IF NOT EXISTS: databases of releases before schema migrations already hold these tables.
CREATE TABLE IF NOT EXISTS KF_OUTCOME_FACT (
    RES_TYPE VARCHAR(40) NOT NULL,
    RES_ID VARCHAR(100) NOT NULL,
    FACT_NO INTEGER NOT NULL,
    PATIENT_ID VARCHAR(100) NOT NULL,
    KIND VARCHAR(24) NOT NULL,
    CODE VARCHAR(300),
    COURSE_ID VARCHAR(100),
    AT_MS BIGINT,
    END_MS BIGINT,
    VALUE1 DOUBLE PRECISION,
    VALUE2 DOUBLE PRECISION,
    REF_ID VARCHAR(100),
    STATUS VARCHAR(40),
    PRIMARY KEY (RES_TYPE, RES_ID, FACT_NO)
);
CREATE INDEX IF NOT EXISTS KF_OUTCOME_FACT_PATIENT ON KF_OUTCOME_FACT (PATIENT_ID);
CREATE INDEX IF NOT EXISTS KF_OUTCOME_FACT_KIND ON KF_OUTCOME_FACT (KIND, CODE);
-- The format of the stored facts; a server that reads another format rebuilds the facts from the resources.
CREATE TABLE IF NOT EXISTS KF_OUTCOME_INDEX (FORMAT INTEGER NOT NULL);
