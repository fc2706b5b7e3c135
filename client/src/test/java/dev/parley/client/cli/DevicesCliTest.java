package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code parley link} and {@code parley devices}: a second device of one account, CLI to CLI. */
class DevicesCliTest extends CliServerTest {

    private static final Pattern LINK_CODE = Pattern.compile("link code: (\\S+)");

    /** {@code parley link} running in the background, its output readable while it waits. */
    private record Linking(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
        String code() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                Matcher m = LINK_CODE.matcher(out.toString());
                if (m.find()) {
                    return m.group(1);
                }
                if (exit.isDone()) {
                    break;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no link code; out: " + out + " err: " + err);
        }

        String finished() throws Exception {
            int code = exit.get(60, TimeUnit.SECONDS);
            assertEquals(0, code, () -> "out: " + out + " err: " + err);
            return out.toString();
        }
    }

    private static Linking startLink(Path home, String name) {
        var out = new StringWriter();
        var err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ParleyCli.run(new PrintWriter(out, true),
                new PrintWriter(err, true), "--server", server.origin(), "--home", home.toString(), "link", "--name", name));
        return new Linking(exit, out, err);
    }

    private static List<JsonNode> received(Cli.Result result) {
        List<JsonNode> messages = new ArrayList<>();
        result.lines().forEach(line -> messages.add(json(line)));
        return messages;
    }

    @Test
    void aSecondDeviceLinkedWithHistoryTalksBothWaysAndIsUnlinked() throws Exception {
        Path laptop = dir.resolve("laptop");
        Path phone = dir.resolve("phone");
        Path bob = dir.resolve("bob");
        ok(cli.run(laptop, "register", "cl_alice"));
        ok(cli.run(bob, "register", "cl_bob"));
        ok(cli.run(laptop, "send", "cl_bob", "hello before linking"));
        ok(cli.run(bob, "send", "cl_alice", "answer before linking"));
        ok(cli.run(laptop, "receive", "--wait", "1"));

        Linking linking = startLink(phone, "Phone");
        String code = linking.code();
        Cli.Result approved = ok(cli.run(laptop, "devices", "approve", code));
        assertTrue(approved.out().contains("device: Phone"), approved::toString);
        assertTrue(approved.out().matches("(?s).*device key: ([0-9a-f]{4} ){7}[0-9a-f]{4}\n.*"), approved::toString);
        assertTrue(approved.out().contains("approved device 2"), approved::toString);
        assertTrue(approved.err().contains("history sent"), approved::toString);
        String linked = linking.finished();
        Matcher shown = Pattern.compile("device key: (.+)").matcher(linked);
        assertTrue(shown.find(), linked);
        assertTrue(approved.out().contains("device key: " + shown.group(1)), "both devices show the same fingerprint");
        assertTrue(linked.contains("linked as cl_alice (device 2)"), linked);

        List<String> devices = ok(cli.run(phone, "devices")).lines();
        assertEquals(2, devices.size(), devices::toString);
        assertTrue(devices.get(0).matches("1\t[^\t]+\t\\S+\t\\d{4}-\\d{2}-\\d{2}\tother"), devices.get(0)); // last seen: a UTC date
        assertTrue(devices.get(1).matches("2\tPhone\t\\S+\t\\S+\tthis"), devices.get(1));

        ok(cli.run(bob, "send", "cl_alice", "to both devices"));
        List<JsonNode> onPhone = received(ok(cli.run(phone, "receive", "--wait", "2")));
        assertEquals(1, onPhone.size(), onPhone::toString);
        assertEquals(List.of("cl_bob", "1", "to both devices"), List.of(onPhone.get(0).path("from").asText(),
                onPhone.get(0).path("device").asText(), onPhone.get(0).path("text").asText()));

        ok(cli.run(phone, "send", "cl_bob", "from the phone"));
        // (bob's message may or may not be printed here: the phone read it, and its read-up-to may arrive first)
        List<JsonNode> onLaptop = received(ok(cli.run(laptop, "receive", "--wait", "2")));
        assertTrue(onLaptop.stream().anyMatch(m -> m.path("text").asText().equals("from the phone")
                && m.path("from").asText().equals("cl_alice") && m.path("device").asInt() == 2
                && m.path("to").asText().equals("cl_bob")), "the phone's message appears on the laptop: " + onLaptop);
        List<JsonNode> atBob = received(ok(cli.run(bob, "receive", "--wait", "2")));
        assertTrue(atBob.stream().anyMatch(m -> m.path("text").asText().equals("from the phone")
                && m.path("device").asInt() == 2), atBob::toString);

        assertEquals("unlinked device 2", ok(cli.run(laptop, "devices", "unlink", "2")).out().strip());
        Cli.Result refused = cli.run(phone, "send", "cl_bob", "after unlinking");
        assertEquals(8, refused.code(), refused::toString);
        assertTrue(refused.err().contains("no longer linked"), refused::toString);
        assertEquals(1, ok(cli.run(laptop, "devices")).lines().size());
    }

    @Test
    void aDeviceLinkedWithoutHistorySignsItselfOut() throws Exception {
        Path laptop = dir.resolve("laptop2");
        Path borrowed = dir.resolve("borrowed");
        ok(cli.run(laptop, "register", "cs_alice"));
        Linking linking = startLink(borrowed, "Borrowed");
        Cli.Result approved = ok(cli.run(laptop, "devices", "approve", linking.code(), "--no-history"));
        assertTrue(!approved.err().contains("history"), approved::toString);
        assertTrue(linking.finished().contains("linked as cs_alice (device 2)"));
        assertEquals("signed out of cs_alice", ok(cli.run(borrowed, "devices", "sign-out")).out().strip());
        assertEquals(1, ok(cli.run(laptop, "devices")).lines().size());
        Cli.Result gone = cli.run(borrowed, "devices");
        assertEquals(8, gone.code(), gone::toString);
    }

    @Test
    void aWrongLinkCodeIsRefusedInWords() {
        Path laptop = dir.resolve("laptop");
        ok(cli.run(laptop, "register", "cw_alice"));
        Cli.Result bad = cli.run(laptop, "devices", "approve", "not-a-code");
        assertEquals(9, bad.code(), bad::toString);
        assertTrue(bad.err().contains("not a link code"), bad::toString);
        Cli.Result unknown = cli.run(laptop, "devices", "approve", "0".repeat(52));
        assertEquals(9, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("no device is waiting with this link code"), unknown::toString);
    }
}
