package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ContentStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applying edits, deletes, reactions and timers (docs/CLIENT-MODEL.md, "Message content and
 * controls"), the same rules for a control received and one made here (inside the caller's
 * transaction):
 * <ul>
 * <li>an edit or delete applies only to a text or message of the conversation whose author is
 *     the control's sender (an account's devices all count as that account), only while the
 *     control's server time is within {@link #WINDOW} of the target's, and not to a deleted one;
 * <li>a reaction targets {@code (targetAuthor, targetId)}, one per reacting account;
 * <li>a control whose target is not here waits for it ({@link #MAX_WAITING} per conversation,
 *     {@link #WINDOW}), and is applied when a message with that id arrives ({@link #arrived});
 * <li>a timer sets the conversation's timer and adds a system line.
 * </ul>
 * A refused control changes nothing: a received one is reported (listener, and a warning in a
 * group's history, its security log); one made here is refused before anything is queued.
 */
final class ContentControls {

    /** How long after its target an edit or delete is accepted (server times), and how long a control waits. */
    static final Duration WINDOW = Duration.ofHours(24);
    /** Controls that may wait for their targets, per conversation. */
    static final int MAX_WAITING = 100;

    /** What became of a control. */
    sealed interface Outcome {
        record Applied(ControlEvent event) implements Outcome {}
        record Waiting() implements Outcome {}
        record Refused(ControlEvent event, String reason) implements Outcome {}
    }

    private final ClientStore store;
    private final Supplier<String> self;

    ContentControls(ClientStore store, Supplier<String> self) {
        this.store = store;
        this.self = self;
    }

    /** Whether a payload is one of the controls (0x10..0x13). */
    static boolean isControl(Payload payload) {
        return payload instanceof Payload.Edit || payload instanceof Payload.Delete || payload instanceof Payload.Reaction
                || payload instanceof Payload.Timer;
    }

    /**
     * Applies {@code control} from {@code sender}'s device {@code device} in {@code conversation}
     * (a group by its id) at server time {@code serverTime}; {@code mayWait} false when a missing
     * target is a refusal (a control made here, or one that waited already).
     */
    Outcome apply(ConversationRef conversation, String sender, int device, Payload control, long serverTime, long now,
            boolean mayWait) {
        String conv = key(conversation);
        String me = self.get();
        ControlEvent event = event(conversation, sender, device, control);
        switch (control) {
            case Payload.Edit edit -> {
                var target = authored(conv, me, sender, edit.targetId(), serverTime);
                if (target instanceof Check.Fail fail) {
                    return fail.missing() && mayWait ? wait(conv, edit.targetId(), sender, device, control, serverTime, now, event)
                            : new Outcome.Refused(event, fail.reason());
                }
                store.content.edit(conv, me, sender, edit.targetId(), edit.text());
            }
            case Payload.Delete delete -> {
                var target = authored(conv, me, sender, delete.targetId(), serverTime);
                if (target instanceof Check.Fail fail) {
                    return fail.missing() && mayWait ? wait(conv, delete.targetId(), sender, device, control, serverTime, now,
                            event) : new Outcome.Refused(event, fail.reason());
                }
                store.content.delete(conv, me, sender, delete.targetId());
            }
            case Payload.Reaction reaction -> {
                if (store.content.row(conv, me, reaction.targetAuthor(), reaction.targetId()).isEmpty()) {
                    return mayWait ? wait(conv, reaction.targetId(), sender, device, control, serverTime, now, event)
                            : new Outcome.Refused(event, "no message " + reaction.targetId() + " of " + reaction.targetAuthor()
                                    + " in this conversation");
                }
                if (store.content.extras(conv, reaction.targetAuthor(), reaction.targetId()).map(ContentStore.Extras::deleted)
                        .orElse(false)) {
                    return new Outcome.Refused(event, "the message was deleted");
                }
                store.content.react(conv, reaction.targetAuthor(), reaction.targetId(), sender, reaction.emoji());
            }
            case Payload.Timer timer -> {
                store.content.setTimer(conv, timer.expireSeconds());
                String line = timerLine(sender, timer.expireSeconds());
                if (conversation.isGroup()) {
                    store.groupHistory.add(new GroupEntry(conversation.group(), timer.id(), sender, device, sender.equals(me),
                            GroupEntry.Kind.SYSTEM, line, timer.sentAt(), serverTime), true);
                } else {
                    store.content.addLine(conv, line, serverTime);
                }
            }
            default -> throw new IllegalArgumentException("not a control: " + control.getClass().getSimpleName());
        }
        return new Outcome.Applied(event);
    }

    /**
     * A text or message with {@code id} is now held in {@code conversation}: the controls that
     * waited for it are applied (or refused); returns what became of each.
     */
    List<Outcome> arrived(ConversationRef conversation, String id, long now) {
        String conv = key(conversation);
        List<Outcome> outcomes = new java.util.ArrayList<>();
        for (ContentStore.Waiting waiting : store.content.waiting(conv, id)) {
            store.content.removeWaiting(waiting.seq());
            Payload control;
            try {
                control = PayloadCodec.decode(waiting.payload());
            } catch (ProtocolException e) {
                continue; // it was encoded here
            }
            outcomes.add(apply(conversation, waiting.sender(), waiting.device(), control, waiting.serverTime(), now, false));
        }
        return outcomes;
    }

    /** The result of looking for the message an edit or delete names. */
    private sealed interface Check {
        record Ok(ContentStore.Row row) implements Check {}
        record Fail(String reason, boolean missing) implements Check {}
    }

    /** The message {@code (sender, id)} of {@code conv} that {@code sender} may still edit or delete at {@code serverTime}. */
    private Check authored(String conv, String me, String sender, String id, long serverTime) {
        List<ContentStore.Row> rows = store.content.rows(conv, me, id);
        if (rows.isEmpty()) {
            return new Check.Fail("no message " + id + " in this conversation", true);
        }
        var row = rows.stream().filter(r -> r.author().equals(sender)).findFirst();
        if (row.isEmpty()) {
            return new Check.Fail("message " + id + " is not " + sender + "'s: only its author may change it", false);
        }
        if (serverTime - row.get().serverTime() > WINDOW.toMillis()) {
            return new Check.Fail("message " + id + " is more than 24 hours old", false);
        }
        if (store.content.extras(conv, sender, id).map(ContentStore.Extras::deleted).orElse(false)) {
            return new Check.Fail("message " + id + " was deleted", false);
        }
        return new Check.Ok(row.get());
    }

    private Outcome wait(String conv, String targetId, String sender, int device, Payload control, long serverTime, long now,
            ControlEvent event) {
        if (store.content.waitingCount(conv) >= MAX_WAITING) {
            return new Outcome.Refused(event, "no message " + targetId + " here, and " + MAX_WAITING
                    + " controls already wait in this conversation");
        }
        store.content.await(conv, targetId, sender, device, PayloadCodec.encode(control), serverTime, now);
        return new Outcome.Waiting();
    }

    static String key(ConversationRef conversation) {
        return conversation.isGroup() ? ContentStore.group(conversation.group()) : ContentStore.user(conversation.user());
    }

    static ControlEvent event(ConversationRef conversation, String sender, int device, Payload control) {
        return switch (control) {
            case Payload.Edit e -> new ControlEvent(ControlEvent.Kind.EDIT, conversation, sender, device, e.id(), sender,
                    e.targetId(), e.text(), null, 0);
            case Payload.Delete d -> new ControlEvent(ControlEvent.Kind.DELETE, conversation, sender, device, d.id(), sender,
                    d.targetId(), null, null, 0);
            case Payload.Reaction r -> new ControlEvent(ControlEvent.Kind.REACTION, conversation, sender, device, r.id(),
                    r.targetAuthor(), r.targetId(), null, r.emoji(), 0);
            case Payload.Timer t -> new ControlEvent(ControlEvent.Kind.TIMER, conversation, sender, device, t.id(), null, null,
                    null, null, t.expireSeconds());
            default -> throw new IllegalArgumentException("not a control");
        };
    }

    /** "alice set disappearing messages to 5 minutes", "alice turned off disappearing messages". */
    static String timerLine(String who, int seconds) {
        return seconds == 0 ? who + " turned off disappearing messages"
                : who + " set disappearing messages to " + describe(seconds);
    }

    /** 300 → "5 minutes", 3600 → "1 hour", 90 → "90 seconds". */
    static String describe(int seconds) {
        record Unit(int seconds, String name) {}
        for (Unit unit : List.of(new Unit(604_800, "week"), new Unit(86_400, "day"), new Unit(3_600, "hour"),
                new Unit(60, "minute"))) {
            if (seconds % unit.seconds() == 0) {
                int n = seconds / unit.seconds();
                return n + " " + unit.name() + (n == 1 ? "" : "s");
            }
        }
        return seconds + " second" + (seconds == 1 ? "" : "s");
    }
}
