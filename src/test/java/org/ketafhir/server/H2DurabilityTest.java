package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class H2DurabilityTest {

    @Test
    void shouldMakeEveryH2FileConnectionCommitToTheFileAtOnce() {
        assertThat(H2Durability.initSql("jdbc:h2:file:/srv/clinic/db", null))
                .isEqualTo("SET WRITE_DELAY 0; SET LOCK_TIMEOUT 10000");
        assertThat(H2Durability.initSql("jdbc:h2:./data/ketafhir;DB_CLOSE_ON_EXIT=FALSE", ""))
                .isEqualTo("SET WRITE_DELAY 0; SET LOCK_TIMEOUT 10000");
    }

    @Test
    void shouldKeepTheOperatorsLockTimeoutAndInitStatements() {
        assertThat(H2Durability.initSql("jdbc:h2:file:./db;LOCK_TIMEOUT=3000", "SET QUERY_TIMEOUT 60000"))
                .isEqualTo("SET WRITE_DELAY 0; SET QUERY_TIMEOUT 60000");
    }

    @Test
    void shouldLeaveClosingTheDatabaseToTheServerNotToH2sShutdownHook() {
        assertThat(H2Durability.closedByTheServer("jdbc:h2:file:/srv/clinic/db"))
                .isEqualTo("jdbc:h2:file:/srv/clinic/db;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(H2Durability.closedByTheServer("jdbc:h2:file:./db;LOCK_TIMEOUT=3000"))
                .isEqualTo("jdbc:h2:file:./db;LOCK_TIMEOUT=3000;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(H2Durability.closedByTheServer("jdbc:h2:./data/ketafhir;db_close_on_exit=true"))
                .as("the operator's own choice is kept").isEqualTo("jdbc:h2:./data/ketafhir;db_close_on_exit=true");
    }

    @Test
    void shouldRefuseAnH2DatabaseThatKeepsNothingAcrossARestart() {
        assertThatThrownBy(() -> H2Durability.initSql("jdbc:h2:mem:clinic", null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jdbc:h2:mem:clinic").hasMessageContaining("jdbc:h2:file:");
    }

    @Test
    void shouldLeaveOtherDatabasesAlone() {
        assertThat(H2Durability.initSql("jdbc:postgresql://127.0.0.1:5432/ketafhir", null)).isNull();
    }
}
