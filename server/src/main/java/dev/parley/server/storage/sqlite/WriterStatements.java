package dev.parley.server.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepared statements of the database writer's connection, prepared once and reused for every
 * write after that. sqlite-jdbc keeps no statement cache of its own, and preparing the same
 * statements for every message took about an eighth of the writer's time (docs/BENCHMARKS.md).
 *
 * <p>Only the writer thread of {@link dev.parley.server.storage.WriteQueue} calls this, so it
 * needs no lock. A statement handed out stays open: callers close their result sets, never the
 * statement, and bind every parameter before each use.
 */
final class WriterStatements {

    private Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    PreparedStatement prepare(Connection writer, String sql) throws SQLException {
        if (writer != connection) {
            closeAll();
            connection = writer;
        }
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = writer.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private void closeAll() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection it belonged to is gone
            }
        }
        statements.clear();
    }
}
