package dev.parley.server.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class against one real server with the test limits ({@link TestServer#start()}),
 * started before its first test and closed after its last. Test classes run one after another,
 * so the one static field is never shared by two at once.
 */
public abstract class LiveServerTest {

    protected static TestServer server;

    @BeforeAll
    protected static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    protected static void stopServer() {
        server.close();
    }
}
