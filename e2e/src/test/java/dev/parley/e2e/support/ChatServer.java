package dev.parley.e2e.support;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link BrowserTest} class runs against: one server process ({@link ServerProcess}, the
 * default) or anything else {@link ServedBy} names, such as several nodes behind a proxy. The
 * browsers open {@link #url}; the tests that take the service away or search what it wrote use
 * the rest.
 */
public interface ChatServer extends AutoCloseable {

    /** The address browsers open, e.g. {@code url("/")}. */
    String url(String path);

    String origin();

    String wsUrl();

    /** Takes the service away from connected clients (every process that serves them) until {@link #restart}. */
    void stop();

    /** Serves again on the same address and stored data, after {@link #stop}. */
    void restart();

    /**
     * Every file the server side wrote: its logs and its stored data. Data not kept in a file of
     * its own (a database server's) is first written out to one ({@link #database}) with every
     * value as stored.
     */
    List<Path> filesWritten();

    /** The file among {@link #filesWritten} that holds the stored data (accounts, queues, blobs). */
    Path database();

    /** Everything the server side logged so far. */
    String readLog();

    @Override
    void close();
}
