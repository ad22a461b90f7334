package org.ketafhir.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Optional;

/**
 * When the server may run without authentication: only as the quick-start on this machine. With the
 * {@code prod} profile, on PostgreSQL (a shared, production-style database) or listening beyond the loopback
 * interface it must have an issuer.
 */
final class StartupPolicy {

    private StartupPolicy() {}

    /** Why an open (tokenless) server must not start, or empty when it may. */
    static Optional<String> refusalForOpenServer(Collection<String> activeProfiles, String datasourceUrl,
            String serverAddress) {
        if (activeProfiles.contains("prod")) {
            return Optional.of("the prod profile is active");
        }
        if (datasourceUrl != null && datasourceUrl.startsWith("jdbc:postgresql:")) {
            return Optional.of("the database is PostgreSQL (" + datasourceUrl + ")");
        }
        if (!isLoopback(serverAddress)) {
            return Optional.of("server.address is " + (serverAddress == null || serverAddress.isBlank()
                    ? "unset (every network interface)" : serverAddress) + ", not a loopback address");
        }
        return Optional.empty();
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.trim()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
