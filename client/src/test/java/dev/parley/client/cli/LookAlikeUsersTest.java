package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts whose names look alike (registered before the server refused look-alikes) are
 * marked in {@code users}, and {@code send} to one of them warns on standard error.
 */
class LookAlikeUsersTest {

    @TempDir
    Path dir;

    @Test
    void lookAlikeNamesAreMarkedAndSendingToOneWarns() throws Exception {
        Path alice = dir.resolve("alice");
        Path bob = dir.resolve("bob");
        TestServer server = TestServer.start();
        try {
            var cli = new Cli(server.origin());
            assertEquals(0, cli.run(alice, "register", "la_alice").code());
            assertEquals(0, cli.run(bob, "register", "la_bob").code());
            assertEquals(0, cli.run(dir.resolve("mallory"), "register", "la_mallory").code());
        } finally {
            server.close();
        }
        // An account that existed before the server refused look-alike registrations.
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
                PreparedStatement rename = db.prepareStatement("UPDATE accounts SET username = ? WHERE username = ?")) {
            rename.setString(1, "la_a1ice");
            rename.setString(2, "la_mallory");
            assertEquals(1, rename.executeUpdate());
        }
        try (TestServer again = TestServer.start(TestServer.testLimits(), server.databaseFile())) {
            var cli = new Cli(again.origin());

            Cli.Result users = cli.run(bob, "users");
            assertEquals(0, users.code(), users::toString);
            List<String> lines = users.lines();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("la_alice\t") && l.endsWith("\tunverified\tlooks like la_a1ice")),
                    users::toString);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("la_a1ice\t") && l.endsWith("\tunverified\tlooks like la_alice")),
                    users::toString);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("la_bob\t") && l.endsWith("\tyou")), users::toString);

            Cli.Result toAlice = cli.run(bob, "send", "la_alice", "is", "this", "you?");
            assertEquals(0, toAlice.code(), toAlice::toString);
            assertTrue(toAlice.err().contains("warning: la_alice looks like la_a1ice"), toAlice::toString);
            assertTrue(toAlice.out().strip().matches("[A-Za-z0-9_-]{22}"), toAlice::toString);

            Cli.Result toBob = cli.run(alice, "send", "la_bob", "yes");
            assertEquals(0, toBob.code(), toBob::toString);
            assertEquals("", toBob.err(), "no warning for a name nobody resembles");

            // Alice's own name has a look-alike: her directory shows it too.
            Cli.Result aliceUsers = cli.run(alice, "users");
            assertTrue(aliceUsers.lines().contains("la_alice\tonline\tyou\tlooks like la_a1ice")
                    || aliceUsers.lines().contains("la_alice\toffline\tyou\tlooks like la_a1ice"), aliceUsers::toString);
        }
    }
}
