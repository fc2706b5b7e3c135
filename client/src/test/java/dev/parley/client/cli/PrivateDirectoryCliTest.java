package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.DirectorySettings;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley users} on a server with a private directory (only the accounts this client
 * knows; {@code users NAME} looks an exact name up), and {@code parley block} / {@code unblock}.
 */
class PrivateDirectoryCliTest {

    @TempDir
    Path dir;

    private static boolean listed(Cli.Result users, String name) {
        return users.lines().stream().anyMatch(line -> line.startsWith(name + "\t"));
    }

    @Test
    void usersListsOnlyKnownAccountsFindsExactNamesAndBlockingShows() throws Exception {
        Path alice = dir.resolve("alice");
        Path bob = dir.resolve("bob");
        try (TestServer server = TestServer.start(new DirectorySettings(DirectorySettings.Mode.PRIVATE, 10_000))) {
            var cli = new Cli(server.origin());
            assertEquals(0, cli.run(alice, "register", "pc_alice").code());
            assertEquals(0, cli.run(bob, "register", "pc_bob").code());
            assertEquals(0, cli.run(dir.resolve("carol"), "register", "pc_carol").code());

            Cli.Result known = cli.run(alice, "users");
            assertEquals(0, known.code(), known::toString);
            assertEquals(List.of("pc_alice\tonline\tyou"), known.lines(), "only this account is known");

            Cli.Result found = cli.run(alice, "users", "pc_bob");
            assertEquals(0, found.code(), found::toString);
            assertTrue(listed(found, "pc_bob"), found::toString);
            Cli.Result absent = cli.run(alice, "users", "pc_bo");
            assertEquals(4, absent.code(), absent::toString);
            assertTrue(absent.err().contains("no user pc_bo"), absent::toString);

            Cli.Result after = cli.run(alice, "users");
            assertTrue(listed(after, "pc_bob") && !listed(after, "pc_carol"), after::toString);

            Cli.Result block = cli.run(alice, "block", "pc_bob");
            assertEquals(0, block.code(), block::toString);
            assertEquals("pc_bob is blocked.", block.out().strip());
            assertTrue(cli.run(alice, "users").lines().stream().anyMatch(l -> l.startsWith("pc_bob\t") && l.contains("\tblocked")));
            Cli.Result refused = cli.run(alice, "send", "pc_bob", "hello");
            assertEquals(9, refused.code(), refused::toString);
            assertTrue(refused.err().contains("you blocked pc_bob"), refused::toString);
            assertEquals(0, cli.run(alice, "unblock", "pc_bob").code());
            assertEquals(0, cli.run(alice, "send", "pc_bob", "hello").code());
        }
    }
}
