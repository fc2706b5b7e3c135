package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupOutboxStore;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * What the group outbox tells the user: a member a group message or change could not be sent
 * to, and why, as a warning line in the group ({@code not_sent}) and
 * {@link ParleyListener#onGroupWarning}, on the client's receive thread.
 */
final class GroupReports {

    /** The reason code of a warning about a send. */
    static final String NOT_SENT = "not_sent";

    private final ClientStore store;
    private final ParleyListener listener;
    private final Executor events;
    private final Clock clock;
    private final Supplier<String> self;

    GroupReports(ClientStore store, ParleyListener listener, Executor events, Clock clock, Supplier<String> self) {
        this.store = store;
        this.listener = listener;
        this.events = events;
        this.clock = clock;
        this.self = self;
    }

    /** The members sealing left out of {@code entry}. */
    void skipped(GroupOutboxStore.Entry entry, GroupSealing.Skipped skipped) {
        skipped.members().forEach((member, reason) -> notSent(entry, member, reason));
    }

    /** {@code entry} was not sent to {@code member} ("" for the whole group) for {@code reason}. */
    void notSent(GroupOutboxStore.Entry entry, String member, String reason) {
        String what = entry.kind() == GroupOutboxStore.Kind.MESSAGE ? "message " + entry.id() : "a change to the group";
        String text = member.isEmpty() ? what + " was not sent: " + reason : what + " was not sent to " + member + ": " + reason;
        GroupEntry line = new GroupEntry(entry.groupId(), "not-sent-" + entry.id() + "-" + member, self.get(), 0, true,
                GroupEntry.Kind.WARNING, text, clock.millis(), 0);
        if (store.groupHistory.add(line, true)) {
            try {
                events.execute(() -> UnpromptedFrames.safely(() -> listener.onGroupWarning(entry.groupId(), NOT_SENT, line)));
            } catch (RejectedExecutionException closed) {
                // the client is closing; the line is in the history
            }
        }
    }
}
