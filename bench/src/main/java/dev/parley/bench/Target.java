package dev.parley.bench;

/**
 * The server a scenario drives: where it listens and, when the bench started it (or was told
 * its pid), how to read its CPU time and memory.
 *
 * @param kind      which implementation: {@code parley}, {@code socketio} or {@code flask}
 * @param httpBase  e.g. {@code http://127.0.0.1:5000}; for Parley also the origin clients sign
 * @param stats     the server process's /proc figures, or null if unknown
 */
record Target(String kind, String httpBase, ProcessStats stats) {

    String wsUrl() {
        return httpBase.replaceFirst("^http", "ws") + "/ws";
    }

    String origin() {
        return httpBase;
    }

    long cpuMicros() {
        return stats == null ? -1 : stats.cpuMicros();
    }

    long rssBytes() {
        return stats == null ? -1 : stats.rssBytes();
    }
}
