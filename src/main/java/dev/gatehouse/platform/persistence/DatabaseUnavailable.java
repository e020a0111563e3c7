package dev.gatehouse.platform.persistence;

import jakarta.resource.ResourceException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells "the database cannot be reached" apart from every other persistence error, by the causes of an
 * exception. The same outage arrives wrapped in different ways: Hibernate's exception over the pool's
 * SQLException over a connector ResourceAllocationException over the driver's PSQLException (SQLState
 * 08001, connection refused); a connection that dies in use is PSQLException 08006 or 57P01 (the
 * server shutting down); a JTA rollback can wrap any of these.
 */
public final class DatabaseUnavailable {

    /** Seconds a client should wait: the pool checks a connection at most every 5 s (server-config/). */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** Besides class 08 (connection exception): admin/crash shutdown, starting up, too many connections. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final int MAX_DEPTH = 32;

    private DatabaseUnavailable() {
    }

    public static boolean isCauseOf(Throwable exception) {
        Throwable t = exception;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            // the container pool could not hand out a connection: none could be made, or none came free in time
            if (t instanceof ResourceException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's message, for a one-line log entry. */
    public static String rootMessage(Throwable exception) {
        Throwable t = exception;
        for (int depth = 0; t.getCause() != null && depth < MAX_DEPTH; depth++) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
