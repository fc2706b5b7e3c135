package dev.parley.e2e.cluster;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every value of every table of a PostgreSQL database written to one file as stored: bytes
 * ({@code bytea}) raw, everything else as its UTF-8 text. What SQLite's one database file is
 * for a search of what the server stored (a plaintext must appear in neither), for a database
 * whose files belong to a database server.
 */
final class DatabaseDump {

    private DatabaseDump() {
    }

    /** Writes the dump of {@code jdbcUrl}'s public schema to {@code file}; returns the number of rows written. */
    static long write(String jdbcUrl, Path file) {
        try (Connection db = DriverManager.getConnection(jdbcUrl);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            long rows = 0;
            for (String table : tables(db)) {
                out.write(("-- table " + table + "\n").getBytes(StandardCharsets.UTF_8));
                try (var statement = db.createStatement(); ResultSet result = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        for (int c = 1; c <= columns; c++) {
                            Object value = result.getObject(c);
                            out.write(value instanceof byte[] bytes ? bytes
                                    : String.valueOf(value).getBytes(StandardCharsets.UTF_8));
                            out.write('\t');
                        }
                        out.write('\n');
                        rows++;
                    }
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("could not dump " + jdbcUrl.replaceAll("password=[^&]*", "password=***"), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> tables(Connection db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet result = db.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (result.next()) {
                tables.add(result.getString("TABLE_NAME"));
            }
        }
        return tables;
    }
}
