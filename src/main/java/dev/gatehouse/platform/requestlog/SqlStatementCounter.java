package dev.gatehouse.platform.requestlog;

import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Counts the SQL statements Hibernate prepares on the current thread while a request is in progress.
 * Registered as Hibernate's statement inspector in persistence.xml; the request log filter starts and
 * stops the count around each request (requests are served on one thread from filter to response).
 */
public class SqlStatementCounter implements StatementInspector {

    private static final ThreadLocal<int[]> COUNT = new ThreadLocal<>();

    static void start() {
        COUNT.set(new int[1]);
    }

    /** The number of statements since {@link #start()}; ends the count. */
    static int stop() {
        int[] count = COUNT.get();
        COUNT.remove();
        return count == null ? 0 : count[0];
    }

    @Override
    public String inspect(String sql) {
        int[] count = COUNT.get();
        if (count != null) {
            count[0]++;
        }
        return sql;
    }
}
