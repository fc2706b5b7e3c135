package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ParleyClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code parley} CLI end to end, in-process, against a real server: two homes talk. */
class CliEndToEndTest extends CliServerTest {

    @Test
    void registerSendReceiveVerifyAndRefuseAfterIdentityChange() throws Exception {
        Path alice = dir.resolve("alice");
        Path bob = dir.resolve("bob");
        Cli.Result registered = ok(cli.run(alice, "register", "cli_alice"));
        assertTrue(Cli.recoveryCode(registered).matches("([0-9A-Z]{4}-){7}[0-9A-Z]{4}"), registered::toString);
        String bobCode = Cli.recoveryCode(ok(cli.run(bob, "register", "cli_bob")));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(alice.resolve("parley.db"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(alice)));

        List<String> users = ok(cli.run(alice, "users")).lines();
        assertTrue(users.contains("cli_alice\tonline\tyou") || users.contains("cli_alice\toffline\tyou"), users::toString);
        assertTrue(users.stream().anyMatch(l -> l.startsWith("cli_bob\t") && l.endsWith("\tunverified")), users::toString);

        // First message to an offline peer, then the answer.
        String id = ok(cli.run(alice, "send", "cli_bob", "hello", "bob")).out().strip();
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        List<String> received = ok(cli.run(bob, "receive", "--wait", "3")).lines();
        assertEquals(1, received.size(), received::toString);
        JsonNode message = json(received.getFirst());
        assertEquals("cli_alice", message.get("from").asText());
        assertEquals(id, message.get("id").asText());
        assertEquals("hello bob", message.get("text").asText());
        assertTrue(message.get("sentAt").asLong() > 0);
        // Printed once: a second receive has nothing new.
        assertEquals(List.of(), ok(cli.run(bob, "receive", "--wait", "0.5")).lines());

        ok(cli.run(bob, "send", "cli_alice", "hi alice"));
        ok(cli.run(bob, "send", "cli_alice", "second"));
        List<String> atAlice = ok(cli.run(alice, "receive", "--wait", "3")).lines();
        assertEquals(List.of("hi alice", "second"), atAlice.stream().map(l -> json(l).get("text").asText()).toList());

        // Both see the same safety number; a wrong one is refused, the right one verifies.
        List<String> aliceView = ok(cli.run(alice, "safety-number", "cli_bob")).lines();
        List<String> bobView = ok(cli.run(bob, "safety-number", "cli_alice")).lines();
        String number = aliceView.getFirst();
        assertTrue(number.matches("(\\d{5} ){11}\\d{5}"), number);
        assertEquals(number, bobView.getFirst());
        assertEquals("status: unverified", aliceView.get(1));
        String wrong = (number.charAt(0) == '1' ? "2" : "1") + number.substring(1);
        Cli.Result mismatch = cli.run(alice, "verify", "cli_bob", wrong);
        assertEquals(6, mismatch.code(), mismatch::toString);
        ok(cli.run(alice, "verify", "cli_bob", number));
        assertEquals("status: verified", ok(cli.run(alice, "safety-number", "cli_bob")).lines().get(1));

        // Stored for bob's current identity, which he is about to lose: the server drops it with his reset.
        String away = ok(cli.run(alice, "send", "cli_bob", "while you are away")).out().strip();

        // Bob moves to a new device with his recovery code: a new identity.
        Path bobNew = dir.resolve("bob-new");
        Cli.Result reset = ok(cli.run(bobNew, "reset", "cli_bob", "--recovery-code", bobCode.toLowerCase()));
        assertNotEquals(bobCode, Cli.recoveryCode(reset));

        // Alice verified the old identity: sending is refused, with the reason, and nothing leaves.
        Cli.Result refused = cli.run(alice, "send", "cli_bob", "are you still you?");
        assertEquals(5, refused.code(), refused::toString);
        assertTrue(refused.err().contains("identity key of cli_bob changed"), refused::toString);
        assertEquals(List.of(), ok(cli.run(bobNew, "receive", "--wait", "0.5")).lines());
        List<String> changedView = ok(cli.run(alice, "safety-number", "cli_bob")).lines();
        assertEquals("status: changed", changedView.get(1));
        String newNumber = changedView.getFirst();
        assertNotEquals(number, newNumber);
        Cli.Result stillRefused = cli.run(alice, "send", "cli_bob", "still?");
        assertEquals(5, stillRefused.code(), stillRefused::toString);

        // The message the reset dropped is reported (also by a later command), with how to resend it.
        Cli.Result told = ok(cli.run(alice, "receive", "--wait", "0.2"));
        assertTrue(told.err().contains("1 message to cli_bob could not be delivered"), told::toString);
        assertTrue(told.err().contains(away) && told.err().contains("'parley resend cli_bob'"), told::toString);
        assertEquals(List.of(away + "\twhile you are away"), ok(cli.run(alice, "resend", "cli_bob", "--list")).lines());
        Cli.Result notYet = cli.run(alice, "resend", "cli_bob");
        assertEquals(5, notYet.code(), "not before the new identity is verified: " + notYet);

        // Accepting the new safety number lets the conversation continue with the new device.
        ok(cli.run(alice, "verify", "cli_bob", newNumber));
        List<String> resent = ok(cli.run(alice, "resend", "cli_bob")).lines();
        assertEquals(1, resent.size(), resent::toString);
        assertNotEquals(away, resent.getFirst(), "a new message");
        Cli.Result nothingLeft = ok(cli.run(alice, "resend", "cli_bob"));
        assertEquals(List.of(), nothingLeft.lines(), "resent once");
        assertTrue(nothingLeft.err().contains("no undelivered messages to cli_bob"), nothingLeft::toString);
        ok(cli.run(alice, "send", "cli_bob", "welcome back"));
        List<String> atNewBob = ok(cli.run(bobNew, "receive", "--wait", "3")).lines();
        assertEquals(List.of("while you are away", "welcome back"), atNewBob.stream().map(l -> json(l).get("text").asText()).toList());
        assertEquals(resent.getFirst(), json(atNewBob.getFirst()).get("id").asText());
        assertEquals(newNumber, ok(cli.run(bobNew, "safety-number", "cli_alice")).lines().getFirst());
    }

    @Test
    void clearErrorsAndExitCodes() throws Exception {
        Path carol = dir.resolve("carol");
        ok(cli.run(carol, "register", "cli_carol"));

        Cli.Result unknown = cli.run(carol, "send", "nobody_here", "hello");
        assertEquals(4, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("no user nobody_here"), unknown::toString);

        Cli.Result taken = cli.run(dir.resolve("carol2"), "register", "cli_carol");
        assertEquals(9, taken.code(), taken::toString);
        assertTrue(taken.err().contains("taken"), taken::toString);

        Cli.Result again = cli.run(carol, "register", "cli_carol_two");
        assertEquals(8, again.code(), again::toString);

        Cli.Result noAccount = cli.run(dir.resolve("empty"), "users");
        assertEquals(8, noAccount.code(), noAccount::toString);

        var unreachable = new Cli("http://127.0.0.1:1").run(carol, "users");
        assertEquals(3, unreachable.code(), unreachable::toString);
        assertTrue(unreachable.err().contains("cannot reach"), unreachable::toString);

        try (ParleyClient holder = ParleyClient.open(carol)) {
            Cli.Result locked = cli.run(carol, "users");
            assertEquals(7, locked.code(), locked::toString);
            assertTrue(locked.err().contains("another parley process is using " + carol), locked::toString);
        }

        Cli.Result usage = cli.run(carol, "send", "cli_bob");
        assertEquals(2, usage.code(), usage::toString);
    }
}
