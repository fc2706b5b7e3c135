package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.StorageUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small helpers for read queries on the pooled connections. */
final class Jdbc {

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private Jdbc() {
    }

    /** Binds {@code values} to the statement's parameters in order: strings, integers, longs and byte arrays. */
    static Binder params(Object... values) {
        return statement -> {
            for (int i = 0; i < values.length; i++) {
                switch (values[i]) {
                    case String text -> statement.setString(i + 1, text);
                    case Long number -> statement.setLong(i + 1, number);
                    case Integer number -> statement.setInt(i + 1, number);
                    case byte[] bytes -> statement.setBytes(i + 1, bytes);
                    default -> throw new IllegalArgumentException("cannot bind " + values[i]);
                }
            }
        };
    }

    /** A read on a pooled connection, its statement kept with that connection on SQLite ({@link ReadStatements}). */
    static <T> List<T> query(DataSource dataSource, String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection connection = dataSource.getConnection()) {
            return ReadStatements.read(connection, sql, statement -> {
                binder.bind(statement);
                try (ResultSet rows = statement.executeQuery()) {
                    List<T> result = new ArrayList<>();
                    while (rows.next()) {
                        result.add(mapper.map(rows));
                    }
                    return result;
                }
            });
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** What a failed read throws: unavailability when the database is unreachable, else a storage failure. */
    static RuntimeException failure(SQLException e) {
        return StorageUnavailableException.isUnreachable(e) ? new StorageUnavailableException(e) : new StorageException(e);
    }

    static <T> Optional<T> queryOne(DataSource dataSource, String sql, Binder binder, RowMapper<T> mapper) {
        List<T> rows = query(dataSource, sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** A read on the writer's connection, inside its transaction. */
    static <T> Optional<T> queryOne(Connection connection, String sql, Binder binder, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
            }
        }
    }

    /** A nullable integer column as a {@code Long}, null for SQL NULL ({@code wasNull} checked right after its own read). */
    static Long nullableLong(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    static int update(Connection connection, String sql, Binder binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        }
    }

    /** A database failure other than an unreachable database, reported to clients as {@code internal_error} without detail. */
    static final class StorageException extends RuntimeException {
        StorageException(SQLException cause) {
            super("storage failure: " + cause.getErrorCode(), cause);
        }
    }
}
