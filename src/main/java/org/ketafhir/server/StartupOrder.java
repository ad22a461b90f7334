package org.ketafhir.server;

import org.springframework.core.Ordered;

/**
 * The order of the start-up work that runs before the server reports ready ({@code ApplicationRunner}s, which
 * Spring Boot otherwise runs in no fixed order): the work on the database first (installing the guide, building the
 * outcome index, moving an earlier audit trail), and last the wait for the validator's warm-up, which runs on a
 * thread of its own meanwhile. Waiting for it first would leave the main thread idle while it runs, and on a new
 * database would run the guide's installation only after it.
 */
public final class StartupOrder {

    /** Start-up work on the stored data. */
    public static final int DATA = 0;
    /** The wait for work that ran beside it on another thread. */
    public static final int WARM_UP_WAIT = Ordered.LOWEST_PRECEDENCE;

    private StartupOrder() {}
}
