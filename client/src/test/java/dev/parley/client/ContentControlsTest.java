package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ContentControls.Outcome;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ContentStore;
import dev.parley.protocol.payload.Payload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules for controls on a store alone: waiting for targets, the author rule, the window, reactions, search in step. */
class ContentControlsTest {

    private static final long T = 1_760_000_000_000L;
    private static final ConversationRef BOB = ConversationRef.user("bob");

    @TempDir
    Path dir;
    private ClientStore store;
    private ContentControls controls;

    @BeforeEach
    void open() {
        store = ClientStore.open(dir);
        controls = new ContentControls(store, () -> "myself");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Outcome fromBob(Payload control, long serverTime) {
        return controls.apply(BOB, "bob", 1, control, serverTime, serverTime, true);
    }

    private String text(String author, String id) {
        return store.content.row("u:bob", "myself", author, id).map(ContentStore.Row::text).orElse(null);
    }

    @Test
    void anEditBeforeItsTargetWaitsAndAppliesWhenItArrives() {
        assertInstanceOf(Outcome.Waiting.class, fromBob(new Payload.Edit("e1", T, "m1", "hello, edited"), T + 5));
        store.history.saveIncoming(new IncomingMessage("bob", "m1", "hello", T, T, 1));
        List<Outcome> applied = controls.arrived(BOB, "m1", T + 10);
        assertEquals(1, applied.size());
        assertEquals(ControlEvent.Kind.EDIT, assertInstanceOf(Outcome.Applied.class, applied.getFirst()).event().kind());
        assertEquals("hello, edited", text("bob", "m1"));
        assertTrue(store.content.extras("u:bob", "bob", "m1").orElseThrow().edited());
        assertEquals(List.of(), controls.arrived(BOB, "m1", T + 20), "applied once");
        assertEquals(List.of("m1"), store.content.search("\"edited\"", 10).stream().map(ContentStore.Hit::id).toList());
        assertEquals(List.of(), store.content.search("\"hello\" \"bob\"", 10));
    }

    @Test
    void onlyTheAuthorMayEditOrDeleteAndOnlyWithin24Hours() {
        store.history.saveOutgoing("bob", "mine", "my text", T);
        store.history.saveIncoming(new IncomingMessage("bob", "his", "his text", T, T, 1));
        var forged = assertInstanceOf(Outcome.Refused.class, fromBob(new Payload.Edit("e1", T, "mine", "forged"), T + 1));
        assertTrue(forged.reason().contains("only its author"), forged.reason());
        assertInstanceOf(Outcome.Refused.class, fromBob(new Payload.Delete("d1", T, "mine"), T + 1));
        assertEquals("my text", text("myself", "mine"));

        long late = T + Duration.ofHours(24).toMillis() + 1;
        var tooLate = assertInstanceOf(Outcome.Refused.class, fromBob(new Payload.Edit("e2", T, "his", "late"), late));
        assertTrue(tooLate.reason().contains("more than 24 hours"), tooLate.reason());
        assertInstanceOf(Outcome.Applied.class, fromBob(new Payload.Edit("e3", T, "his", "in time"), late - 2));
        assertEquals("in time", text("bob", "his"));

        store.content.react("u:bob", "bob", "his", "myself", "👍");
        assertInstanceOf(Outcome.Applied.class, fromBob(new Payload.Delete("d2", T, "his"), T + 2));
        assertEquals("", text("bob", "his"));
        assertEquals(Map.of(), store.content.reactions("u:bob", "bob", "his"), "a delete takes the reactions with it");
        assertInstanceOf(Outcome.Refused.class, fromBob(new Payload.Edit("e4", T, "his", "back"), T + 3));
        assertInstanceOf(Outcome.Refused.class, fromBob(new Payload.Reaction("r1", T, "bob", "his", "😀"), T + 3));
        assertEquals(List.of(), store.content.search("\"time\"", 10), "a deleted text is not found");
    }

    @Test
    void reactionsAreOnePerAccountAndAtMost100ControlsWait() {
        store.history.saveOutgoing("bob", "mine", "my text", T);
        assertInstanceOf(Outcome.Applied.class, fromBob(new Payload.Reaction("r1", T, "myself", "mine", "👍"), T));
        assertInstanceOf(Outcome.Applied.class, fromBob(new Payload.Reaction("r2", T, "myself", "mine", "🎉"), T));
        assertEquals(Map.of("bob", "🎉"), store.content.reactions("u:bob", "myself", "mine"));
        assertInstanceOf(Outcome.Applied.class, fromBob(new Payload.Reaction("r3", T, "myself", "mine", ""), T));
        assertEquals(Map.of(), store.content.reactions("u:bob", "myself", "mine"));

        for (int i = 0; i < ContentControls.MAX_WAITING; i++) {
            assertInstanceOf(Outcome.Waiting.class, fromBob(new Payload.Delete("d" + i, T, "missing" + i), T));
        }
        var full = assertInstanceOf(Outcome.Refused.class, fromBob(new Payload.Delete("dx", T, "missing-x"), T));
        assertTrue(full.reason().contains("100 controls already wait"), full.reason());
        // A waiting edit whose target turns out to be someone else's message is refused when it arrives.
        store.content.dropWaitingBefore(T + 1);
        assertInstanceOf(Outcome.Waiting.class, fromBob(new Payload.Edit("e1", T, "later", "forged"), T));
        store.history.saveOutgoing("bob", "later", "mine after all", T);
        assertInstanceOf(Outcome.Refused.class, controls.arrived(BOB, "later", T).getFirst());
        assertEquals("mine after all", text("myself", "later"));
    }

    @Test
    void aTimerSetsTheConversationsTimerWithASystemLine() {
        assertInstanceOf(Outcome.Applied.class, fromBob(new Payload.Timer("t1", T, 300), T));
        assertEquals(300, store.content.timer("u:bob"));
        assertInstanceOf(Outcome.Applied.class, controls.apply(BOB, "myself", 0, new Payload.Timer("t2", T, 0), T, T, false));
        assertEquals(0, store.content.timer("u:bob"));
        assertEquals(List.of("bob set disappearing messages to 5 minutes", "myself turned off disappearing messages"),
                store.content.lines("u:bob"));
        assertEquals(List.of("1 week", "2 days", "1 hour", "90 seconds", "1 second"), List.of(ContentControls.describe(604_800),
                ContentControls.describe(172_800), ContentControls.describe(3_600), ContentControls.describe(90),
                ContentControls.describe(1)));
    }
}
