package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientException;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code parley chat} as a process: typed lines are sent, incoming lines appear while it waits for input. */
class ChatCommandTest extends CliServerTest {

    @Test
    void typedLinesAreSentAndIncomingLinesAppearWhileTyping() throws Exception {
        Path aliceHome = registeredHome("alice", "chat_alice");
        BlockingQueue<IncomingMessage> atBob = new LinkedBlockingQueue<>();
        try (ParleyClient bob = registeredPeer("chat_bob", atBob); Chat chat = Chat.start(aliceHome, "chat_bob")) {
            assertEquals("Chatting with chat_bob as chat_alice. /quit to leave, /help for commands.", chat.screen().poll(60, TimeUnit.SECONDS));
            chat.type("hi bob\n");
            IncomingMessage typed = atBob.poll(30, TimeUnit.SECONDS);
            assertNotNull(typed, "the typed line was sent");
            assertEquals("hi bob", typed.text());

            // Bob answers while alice's chat is waiting for her next line.
            bob.send("chat_alice", "hi alice \u001B[2J");
            String shown = chat.screen().poll(30, TimeUnit.SECONDS);
            assertNotNull(shown, "the incoming message appeared");
            assertTrue(shown.matches("\\[\\d\\d:\\d\\d] chat_bob: hi alice \uFFFD\\[2J"), shown);

            chat.type("/quit\n");
            assertEquals(0, chat.exit(), chat::transcript);
        }
    }

    @Test
    void slashCommandsAreNeverSentAndDoubleSlashSendsALineStartingWithSlash() throws Exception {
        Path aliceHome = registeredHome("alice", "cmd_alice");
        BlockingQueue<IncomingMessage> atBob = new LinkedBlockingQueue<>();
        try (ParleyClient bob = registeredPeer("cmd_bob", atBob)) {
            try (Chat chat = Chat.start(aliceHome, "cmd_bob")) {
                assertTrue(awaitLine(chat.screen(), l -> l.startsWith("Chatting with cmd_bob")).startsWith("Chatting"));
                chat.type("/help\n/nosuch thing\n  /help\n//etc/hosts is a path\n");

                assertNotNull(awaitLine(chat.screen(), l -> l.contains("/quit")), "/help lists /quit");
                String refused = awaitLine(chat.screen(), l -> l.contains("unknown command"));
                assertNotNull(refused, "an unknown command is refused on the screen");
                assertTrue(refused.contains("/nosuch") && refused.contains("nothing was sent"), refused);
                IncomingMessage first = atBob.poll(30, TimeUnit.SECONDS);
                assertNotNull(first, "the // line was sent");
                assertEquals("/etc/hosts is a path", first.text(), "commands are not sent; // sends the rest from its second /");

                chat.type("/quit\n");
                assertEquals(0, chat.exit(), chat::transcript); // /quit ends the chat while input stays open
            }
            assertNull(atBob.poll(1, TimeUnit.SECONDS), "nothing else reached bob");
        }
    }

    @Test
    void messagesAPeersResetLeftUndeliveredAreAnnouncedAndResentWithSlashResend() throws Exception {
        Path aliceHome = registeredHome("alice", "rs_alice");
        String bobCode;
        try (ParleyClient bob = ParleyClient.open(dir.resolve("bob"))) {
            bobCode = bob.register(address, "rs_bob").display();
        }
        Cli.Result sent = cli.run(aliceHome, "send", "rs_bob", "are you there?");
        assertEquals(0, sent.code(), sent::toString);
        String id = sent.out().strip();
        BlockingQueue<IncomingMessage> atNewBob = new LinkedBlockingQueue<>();
        try (ParleyClient newBob = ParleyClient.open(dir.resolve("bob-new"), inbox(atNewBob))) {
            newBob.reset(address, "rs_bob", bobCode);
            try (Chat chat = Chat.start(aliceHome, "rs_bob")) {
                String notice = awaitLine(chat.screen(), l -> l.contains("could not be delivered"));
                assertNotNull(notice, "the chat says which message was not delivered");
                assertTrue(notice.contains(id) && notice.contains("/resend"), notice);
                chat.type("/resend\n");
                assertNotNull(awaitLine(chat.screen(), l -> l.equals("! resent 1 message")));
                IncomingMessage resent = atNewBob.poll(30, TimeUnit.SECONDS);
                assertNotNull(resent, "the new identity received the message");
                assertEquals("are you there?", resent.text());
                chat.type("/resend\n");
                assertNotNull(awaitLine(chat.screen(), l -> l.equals("! nothing to resend to rs_bob")), "resent once");
                chat.type("/quit\n");
                assertEquals(0, chat.exit(), chat::transcript);
            }
        }
    }

    /** A home registered through the CLI. */
    private Path registeredHome(String home, String username) {
        Path path = dir.resolve(home);
        ok(cli.run(path, "register", username));
        return path;
    }

    /** The chat's peer, an SDK client in the home "bob" whose messages go to {@code messages}. */
    private ParleyClient registeredPeer(String username, BlockingQueue<IncomingMessage> messages) throws Exception {
        ParleyClient bob = ParleyClient.open(dir.resolve("bob"), inbox(messages));
        try {
            bob.register(address, username);
            return bob;
        } catch (ClientException | RuntimeException e) {
            bob.close();
            throw e;
        }
    }

    private static ParleyListener inbox(BlockingQueue<IncomingMessage> messages) {
        return new ParleyListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                messages.add(message);
            }
        };
    }

    /** A {@code parley chat} child process: every line it prints (stdout and stderr, in order), and its keyboard. */
    private record Chat(Process process, BlockingQueue<String> screen, Writer keyboard) implements AutoCloseable {
        static Chat start(Path home, String peer) throws java.io.IOException {
            Process process = chatProcess(home, peer);
            return new Chat(process, screenOf(process), new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        /** Types {@code lines}, each ending in a newline. */
        void type(String lines) throws java.io.IOException {
            keyboard.write(lines);
            keyboard.flush();
        }

        /** Waits (at most 30 s) for the chat to end; its exit code. */
        int exit() throws InterruptedException {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the chat ended");
            return process.exitValue();
        }

        String transcript() {
            return String.join("\n", List.copyOf(screen));
        }

        @Override
        public void close() throws java.io.IOException {
            keyboard.close();
        }
    }

    private static Process chatProcess(Path home, String peer) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ParleyCli.class.getName(), "--home", home.toString(), "chat", peer).redirectErrorStream(true).start();
    }

    /** Every line the process prints (stdout and stderr), in order. */
    private static BlockingQueue<String> screenOf(Process process) {
        BlockingQueue<String> screen = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(screen::add);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        return screen;
    }

    /** The next line that matches, skipping others; null if none came within 60 s. */
    private static String awaitLine(BlockingQueue<String> screen, java.util.function.Predicate<String> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = screen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
        }
        return null;
    }
}
