package dev.parley.client;

import dev.parley.client.net.ServerAddress;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A real server for the test class (one per class), its address, and a folder for the clients' homes. */
public abstract class ServerTest {

    protected static TestServer server;
    protected static ServerAddress address;

    @TempDir
    protected Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start();
        address = ServerAddress.parse(server.origin());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
