package dev.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh, empty database on a running PostgreSQL for one cluster run, made and dropped with
 * {@code psql} (the nodes create their tables with their own migrations). Its random name
 * ({@code parley_bench_…}) also tells its backends apart from other databases' in {@code /proc}
 * ({@link PostgresCpu}).
 */
final class PostgresDatabase implements AutoCloseable {

    private final String psql;
    private final String host;
    private final int port;
    private final String user;
    private final String name;

    private PostgresDatabase(String psql, String host, int port, String user, String name) {
        this.psql = psql;
        this.host = host;
        this.port = port;
        this.user = user;
        this.name = name;
    }

    static PostgresDatabase create(String psql, String host, int port, String user) {
        var random = new SecureRandom();
        var name = new StringBuilder("parley_bench_");
        for (int i = 0; i < 10; i++) {
            name.append((char) ('a' + random.nextInt(26)));
        }
        var database = new PostgresDatabase(psql, host, port, user, name.toString());
        database.sql("CREATE DATABASE " + name);
        return database;
    }

    String name() {
        return name;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?user=" + user;
    }

    /** Updates the planner statistics of every table in this database. */
    void analyze() {
        run(name, "ANALYZE");
    }

    /** Drops the database, closing whatever is still connected to it. */
    @Override
    public void close() {
        sql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** Runs one statement in the {@code postgres} database; fails with psql's message. */
    private void sql(String statement) {
        run("postgres", statement);
    }

    /** Runs one statement in {@code database}; fails with psql's message. */
    private void run(String database, String statement) {
        List<String> command = new ArrayList<>(List.of(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", Integer.toString(port),
                "-U", user, "-d", database, "-c", statement));
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("PGCONNECT_TIMEOUT", "10");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("psql failed (" + statement + "): " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + psql + " (PostgreSQL's client; --psql PATH)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running psql", e);
        }
    }
}
