package org.ketafhir.server;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Makes an embedded H2 database keep every acknowledged write, whatever URL the operator set. H2 writes committed
 * changes to its file after a delay (500 ms by default), so a write acknowledged just before {@code kill -9} can be
 * lost; {@code WRITE_DELAY=0} in the URL is easy to leave out. Every connection the pool opens therefore first runs
 * {@code SET WRITE_DELAY 0} (and a 10 s lock timeout, when the URL sets none: H2's 1 s fails concurrent
 * transactions), before the pool hands it out. An in-memory H2 URL keeps nothing across a restart: the server
 * refuses to start on it.
 *
 * <p>H2 also closes a database from its own shutdown hook unless the URL says {@code DB_CLOSE_ON_EXIT=FALSE}: on a
 * {@code SIGTERM} it closed the database while Spring's graceful shutdown still finished the requests in flight and
 * stopped HAPI's jobs, which then failed ("Database is already closed"). The URL gets that setting when it lacks
 * one; the server closes its connections, and with them the database, itself.
 */
final class H2Durability implements BeanPostProcessor {

    static final String DURABLE_COMMITS = "SET WRITE_DELAY 0";
    static final String LOCK_TIMEOUT = "SET LOCK_TIMEOUT 10000";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
            String init = initSql(pool.getJdbcUrl(), pool.getConnectionInitSql());
            if (init != null) {
                pool.setConnectionInitSql(init);
                pool.setJdbcUrl(closedByTheServer(pool.getJdbcUrl()));
            }
        }
        return bean;
    }

    /** An H2 URL that leaves closing the database to the server (its pool), not to H2's shutdown hook. */
    static String closedByTheServer(String h2Url) {
        return h2Url.toUpperCase(Locale.ROOT).contains(";DB_CLOSE_ON_EXIT=") ? h2Url : h2Url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The statements each new connection runs, or null when the URL is not an H2 one. */
    static String initSql(String jdbcUrl, String operatorInitSql) {
        String url = jdbcUrl.toUpperCase(Locale.ROOT);
        if (!url.startsWith("JDBC:H2:")) {
            return null;
        }
        if (url.startsWith("JDBC:H2:MEM:") || url.startsWith("JDBC:H2:ZIP:")) {
            throw new IllegalStateException("spring.datasource.url " + jdbcUrl + " is an H2 database that keeps "
                    + "nothing across a restart (in memory or read-only); KetaFHIR acknowledges writes only when they "
                    + "are stored. Use a file URL such as jdbc:h2:file:./data/ketafhir, or PostgreSQL.");
        }
        StringBuilder init = new StringBuilder(DURABLE_COMMITS);
        if (!url.contains(";LOCK_TIMEOUT=")) {
            init.append("; ").append(LOCK_TIMEOUT);
        }
        if (operatorInitSql != null && !operatorInitSql.isBlank()) {
            init.append("; ").append(operatorInitSql);
        }
        return init.toString();
    }
}
