package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartupPolicyTest {

    private static final String H2 = "jdbc:h2:file:./data/ketafhir";

    @Test
    void shouldLetTheQuickStartRunOpenOnTheLoopbackWithH2() {
        assertThat(StartupPolicy.refusalForOpenServer(List.of(), H2, "127.0.0.1")).isEmpty();
        assertThat(StartupPolicy.refusalForOpenServer(List.of("dev"), H2, "::1")).isEmpty();
        assertThat(StartupPolicy.refusalForOpenServer(List.of(), H2, "localhost")).isEmpty();
    }

    @Test
    void shouldRefuseToRunOpenWithTheProdProfile() {
        assertThat(StartupPolicy.refusalForOpenServer(List.of("prod"), H2, "127.0.0.1")).hasValueSatisfying(
                reason -> assertThat(reason).contains("prod"));
    }

    @Test
    void shouldRefuseToRunOpenOnPostgresql() {
        assertThat(StartupPolicy.refusalForOpenServer(List.of("postgres"),
                "jdbc:postgresql://127.0.0.1:5432/ketafhir", "127.0.0.1")).hasValueSatisfying(
                reason -> assertThat(reason).contains("PostgreSQL"));
    }

    @Test
    void shouldRefuseToRunOpenOnANetworkInterfaceOrWithNoAddressSet() {
        assertThat(StartupPolicy.refusalForOpenServer(List.of(), H2, "0.0.0.0")).isPresent();
        assertThat(StartupPolicy.refusalForOpenServer(List.of(), H2, "192.168.1.10")).isPresent();
        assertThat(StartupPolicy.refusalForOpenServer(List.of(), H2, null)).hasValueSatisfying(
                reason -> assertThat(reason).contains("every network interface"));
    }
}
