package dev.parley.e2e.cluster;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import dev.parley.client.GroupEntry;
import dev.parley.client.GroupInfo;
import dev.parley.client.cli.ParleyCli;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import dev.parley.e2e.support.ServedBy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13's first acceptance point with every client pinned to a node: a browser on node 1,
 * an SDK client on node 2 and the {@code parley} command on node 3 (each opens that node's own
 * address, and each node's log shows the registration it took), chatting 1:1, in a group and
 * with a browser linked as a second device on node 3. Every message here crosses nodes.
 */
@ServedBy(ThreeNodeCluster.class)
class CrossNodeChatTest extends BrowserTest {

    @RegisterExtension
    static final FailureLogs LOGS = new FailureLogs(() -> (ClusterFixture) chatServer());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path homes;
    private final List<SdkPeer> peers = new ArrayList<>();

    @AfterEach
    void closePeersAndCheckPages() {
        peers.forEach(SdkPeer::close);
        assertNoViolations();
    }

    private static ClusterFixture cluster() {
        return (ClusterFixture) chatServer();
    }

    /** A browser registered as {@code name} on node {@code node}, checked in that node's log. */
    private ParleyTab browserOn(int node, String name) {
        ParleyTab tab = tabAt(context(false), cluster().node(node).url("/"));
        tab.register(name);
        assertRegisteredOn(node, name);
        return tab;
    }

    private SdkPeer sdkOn(int node, String name) throws Exception {
        SdkPeer peer = SdkPeer.register(homes, cluster().node(node).origin(), name);
        peers.add(peer);
        assertRegisteredOn(node, name);
        return peer;
    }

    private static void assertRegisteredOn(int node, String name) {
        List<String> where = NodeSpread.registrations(cluster()).entrySet().stream()
                .filter(e -> e.getValue().contains(name)).map(java.util.Map.Entry::getKey).toList();
        assertEquals(List.of("node-" + node), where, name + " registered on");
    }

    /** The {@code parley} command in-process with its home under {@code homes}, talking to node {@code node}. */
    private String cli(int node, String home, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", cluster().node(node).origin(), "--home", homes.resolve(home).toString()));
        all.addAll(List.of(args));
        var out = new StringWriter();
        var err = new StringWriter();
        int code = ParleyCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        assertEquals(0, code, () -> "parley " + all + "\n--- out\n" + out + "--- err\n" + err);
        return out.toString();
    }

    /** Runs {@code parley receive} (2 s each) until a line with {@code text} arrives; returns that line as JSON. */
    private JsonNode cliReceives(int node, String home, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (String line : cli(node, home, "receive", "--wait", "2").lines().toList()) {
                seen.add(line);
                JsonNode message = JSON.readTree(line);
                if (text.equals(message.path("text").asText())) {
                    return message;
                }
            }
        }
        throw new AssertionError("parley receive on node " + node + " never printed \"" + text + "\"; printed: " + seen);
    }

    private static void awaitShown(SdkPeer peer, String from, String text) {
        Waits.until(WAIT, () -> peer + " shown \"" + text + "\" from " + from + "; shown: " + peer.shown(),
                () -> peer.wasShown(from, text));
    }

    @Test
    void aBrowserOnNode1TheSdkOnNode2AndTheCliOnNode3ChatOneToOne() throws Exception {
        ParleyTab alice = browserOn(1, "xn_alice");
        SdkPeer bob = sdkOn(2, "xn_bob");
        cli(3, "carol", "register", "xn_carol");
        assertRegisteredOn(3, "xn_carol");

        // Browser (node 1) -> SDK (node 2): delivered, then read when the SDK marks it read.
        alice.openConversation("xn_bob");
        alice.send("hello bob, from node 1");
        awaitShown(bob, "xn_alice", "hello bob, from node 1");
        alice.awaitStatus("hello bob, from node 1", "delivered");
        String id = bob.shown().stream().filter(s -> s.text().equals("hello bob, from node 1")).findFirst().orElseThrow().id();
        bob.client().markRead("xn_alice", List.of(id));
        alice.awaitStatus("hello bob, from node 1", "read");

        // SDK (node 2) -> browser (node 1).
        bob.client().send("xn_alice", "hi alice, from node 2");
        assertThat(alice.incoming("hi alice, from node 2")).hasCount(1);

        // CLI (node 3) -> browser (node 1) and back.
        cli(3, "carol", "send", "xn_alice", "hello alice, from the command on node 3");
        alice.openConversation("xn_carol");
        assertThat(alice.incoming("hello alice, from the command on node 3")).hasCount(1);
        alice.send("hello carol, from node 1");
        assertEquals("xn_alice", cliReceives(3, "carol", "hello carol, from node 1").path("from").asText());
        alice.awaitStatusIn("hello carol, from node 1", "delivered", "read");

        // SDK (node 2) -> CLI (node 3).
        bob.client().send("xn_carol", "carol, this is bob on node 2");
        assertEquals("xn_bob", cliReceives(3, "carol", "carol, this is bob on node 2").path("from").asText());
    }

    @Test
    void aGroupWithMembersOnThreeNodes() throws Exception {
        ParleyTab alice = browserOn(1, "xg_alice");
        SdkPeer bob = sdkOn(2, "xg_bob");
        cli(3, "gcarol", "register", "xg_carol");
        assertRegisteredOn(3, "xg_carol");
        assertThat(alice.contact("xg_carol")).isVisible();

        alice.byTestId("new-group").click();
        alice.byTestId("group-name-input").fill("Three nodes");
        alice.byTestId("group-member-xg_bob").check();
        alice.byTestId("group-member-xg_carol").check();
        alice.byTestId("group-create").click();
        assertThat(alice.byTestId("system-line").filter(new Locator.FilterOptions()
                .setHasText("you created the group \"Three nodes\""))).isVisible();

        alice.send("hello group, from node 1");
        Waits.until(WAIT, () -> "bob shown the group text; group texts: " + bob.groupTexts(), () -> bob.groupTexts().stream()
                .anyMatch(e -> e.kind() == GroupEntry.Kind.TEXT && e.from().equals("xg_alice") && e.text().equals("hello group, from node 1")));
        JsonNode atCarol = cliReceives(3, "gcarol", "hello group, from node 1");
        assertEquals("xg_alice", atCarol.path("from").asText());
        assertTrue(atCarol.hasNonNull("group"), atCarol::toString);
        assertThat(alice.outgoing("hello group, from node 1").getByTestId("group-receipt-summary"))
                .containsText("delivered to 2 of 2");

        GroupInfo group = bob.client().groups().stream().filter(g -> g.name().equals("Three nodes")).findFirst().orElseThrow();
        bob.client().sendGroup(group.id(), "bob answers the group from node 2");
        assertThat(alice.incoming("bob answers the group from node 2")).hasCount(1);
        assertEquals("xg_bob", cliReceives(3, "gcarol", "bob answers the group from node 2").path("from").asText());

        cli(3, "gcarol", "group", "send", "Three nodes", "carol answers from node 3");
        assertThat(alice.incoming("carol answers from node 3")).hasCount(1);
        Waits.until(WAIT, () -> "bob shown carol's group text; group texts: " + bob.groupTexts(), () -> bob.groupTexts().stream()
                .anyMatch(e -> e.from().equals("xg_carol") && e.text().equals("carol answers from node 3")));
    }

    @Test
    void aBrowserOnNode3LinkedToAnAccountOnNode1GetsAndSendsItsMessages() throws Exception {
        ParleyTab laptop = browserOn(1, "xl_alice");
        SdkPeer bob = sdkOn(2, "xl_bob");
        laptop.openConversation("xl_bob");
        laptop.send("before linking");
        awaitShown(bob, "xl_alice", "before linking");

        ParleyTab phone = tabAt(context(true), cluster().node(3).url("/"));
        String code = phone.startLinking("Alice's phone on node 3");
        laptop.approveLink(code, "Alice's phone on node 3", true);
        phone.awaitLinkedAs("xl_alice");
        // The phone uploads its prekeys after its first login; an SDK send before that is
        // refused with no_prekeys (the message waits in bob's outbox, and send() says so).
        phone.awaitPreKeysUploaded("xl_alice");
        laptop.byTestId("dialog-close").click();
        assertTrue(cluster().node(1).readLog().contains("device linked account=xl_alice device=2")
                || cluster().node(3).readLog().contains("device linked account=xl_alice device=2"),
                "the link was approved through node 1 or 3");

        // The SDK on node 2 sends to both devices: one on node 1, one on node 3.
        bob.client().send("xl_alice", "to both of alice's devices");
        phone.openConversation("xl_bob");
        assertThat(phone.outgoing("before linking")).hasCount(1); // the history came with the link
        assertThat(phone.incoming("to both of alice's devices")).hasCount(1);
        assertThat(laptop.incoming("to both of alice's devices")).hasCount(1);

        // The phone (node 3) answers: bob (node 2) gets it, the laptop (node 1) shows it as sent.
        phone.send("from alice's phone on node 3");
        awaitShown(bob, "xl_alice", "from alice's phone on node 3");
        assertThat(laptop.outgoing("from alice's phone on node 3")).hasCount(1);
    }
}
