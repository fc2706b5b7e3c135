package dev.parley.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records every event the SDK reports, each kind in its own queue, for tests to wait on. */
public final class RecordingListener implements ParleyListener {

    public final BlockingQueue<IncomingMessage> messages = new LinkedBlockingQueue<>();
    /** {@code to/id} of our texts the server stored, and of those it refused for good. */
    public final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> notSent = new LinkedBlockingQueue<>();
    /** Ids named by delivery and read receipts. */
    public final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> read = new LinkedBlockingQueue<>();
    public final BlockingQueue<Boolean> typing = new LinkedBlockingQueue<>();
    public final BlockingQueue<Contact> identityChanges = new LinkedBlockingQueue<>();
    /** {@code contact:[ids]} per report. */
    public final BlockingQueue<String> undelivered = new LinkedBlockingQueue<>();
    /** {@code from/id/reason}. */
    public final BlockingQueue<String> undecryptable = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(IncomingMessage message) {
        messages.add(message);
    }

    @Override
    public void onSent(String to, String messageId) {
        sent.add(to + "/" + messageId);
    }

    @Override
    public void onNotSent(String to, String messageId, String reason) {
        notSent.add(to + "/" + messageId);
    }

    @Override
    public void onDelivered(String from, List<String> messageIds) {
        delivered.addAll(messageIds);
    }

    @Override
    public void onRead(String from, List<String> messageIds) {
        read.addAll(messageIds);
    }

    @Override
    public void onTyping(String from, boolean isTyping) {
        typing.add(isTyping);
    }

    @Override
    public void onIdentityChanged(Contact contact) {
        identityChanges.add(contact);
    }

    @Override
    public void onUndelivered(String contact, List<String> messageIds) {
        undelivered.add(contact + ":" + messageIds);
    }

    @Override
    public void onUndecryptable(String from, String messageId, String reason) {
        undecryptable.add(from + "/" + messageId + "/" + reason);
    }

    public final BlockingQueue<SentElsewhere> sentElsewhere = new LinkedBlockingQueue<>();
    /** {@code id:name} of devices linked to the account. */
    public final BlockingQueue<String> devicesLinked = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> deviceWarnings = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> disconnected = new LinkedBlockingQueue<>();
    /** {@code received/total} of history chunks. */
    public final BlockingQueue<String> history = new LinkedBlockingQueue<>();

    @Override
    public void onSentElsewhere(SentElsewhere message) {
        sentElsewhere.add(message);
    }

    @Override
    public void onDeviceLinked(int device, String name, long linkedAt) {
        devicesLinked.add(device + ":" + name);
    }

    @Override
    public void onDeviceWarning(String warning) {
        deviceWarnings.add(warning);
    }

    @Override
    public void onDisconnected(String reason) {
        disconnected.add(reason);
    }

    @Override
    public void onHistoryProgress(int received, int total) {
        history.add(received + "/" + total);
    }

    /** The texts of the next {@code count} messages, each within 20 s. */
    public List<String> texts(int count) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            IncomingMessage message = messages.poll(20, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("only " + texts + " arrived; undecryptable: " + undecryptable);
            }
            texts.add(message.text());
        }
        return texts;
    }

    // ---- groups -------------------------------------------------------------------------------------

    public final BlockingQueue<GroupEntry> groupMessages = new LinkedBlockingQueue<>();
    /** The system lines of changes applied. */
    public final BlockingQueue<GroupEntry> groupChanges = new LinkedBlockingQueue<>();
    /** {@code reason: text} of group warnings. */
    public final BlockingQueue<String> groupWarnings = new LinkedBlockingQueue<>();
    /** {@code from:typing}. */
    public final BlockingQueue<String> groupTyping = new LinkedBlockingQueue<>();
    /** {@code member:delivered|read:id} per id. */
    public final BlockingQueue<String> groupReceipts = new LinkedBlockingQueue<>();

    @Override
    public void onGroupMessage(GroupEntry message) {
        groupMessages.add(message);
    }

    @Override
    public void onGroupChanged(GroupInfo group, GroupEntry line) {
        groupChanges.add(line);
    }

    @Override
    public void onGroupWarning(String group, String reason, GroupEntry line) {
        groupWarnings.add(reason + ": " + line.text());
    }

    @Override
    public void onGroupTyping(String group, String from, boolean isTyping) {
        groupTyping.add(from + ":" + isTyping);
    }

    @Override
    public void onGroupReceipt(String group, String member, boolean isRead, List<String> messageIds) {
        messageIds.forEach(id -> groupReceipts.add(member + ":" + (isRead ? "read" : "delivered") + ":" + id));
    }

    /** The next {@code count} group messages as {@code from:text}, each within 20 s. */
    public List<String> groupTexts(int count) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GroupEntry message = groupMessages.poll(20, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("only " + texts + " arrived; undecryptable: " + undecryptable + "; warnings: "
                        + groupWarnings);
            }
            texts.add(message.from() + ":" + message.text());
        }
        return texts;
    }

    // ---- message content and controls ----------------------------------------------------------------

    public final BlockingQueue<ContentMessage> contentMessages = new LinkedBlockingQueue<>();
    public final BlockingQueue<ControlEvent> controls = new LinkedBlockingQueue<>();
    /** {@code KIND from: reason} of each refused control. */
    public final BlockingQueue<String> refusedControls = new LinkedBlockingQueue<>();
    /** {@code author/id} of each message erased by its timer. */
    public final BlockingQueue<String> expired = new LinkedBlockingQueue<>();

    @Override
    public void onContentMessage(ContentMessage message) {
        contentMessages.add(message);
    }

    @Override
    public void onControl(ControlEvent control) {
        controls.add(control);
    }

    @Override
    public void onControlRefused(ControlEvent control, String reason) {
        refusedControls.add(control.kind() + " " + control.from() + ": " + reason);
    }

    @Override
    public void onExpired(ConversationRef conversation, String author, String messageId) {
        expired.add(author + "/" + messageId);
    }

    /** The next content message, or a failure after 20 s. */
    public ContentMessage nextContent() throws InterruptedException {
        ContentMessage message = contentMessages.poll(20, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no content message within 20 s; undecryptable: " + undecryptable);
        }
        return message;
    }

    /** The next control applied, or a failure after 20 s. */
    public ControlEvent nextControl() throws InterruptedException {
        ControlEvent control = controls.poll(20, TimeUnit.SECONDS);
        if (control == null) {
            throw new AssertionError("no control within 20 s; refused: " + refusedControls + "; undecryptable: " + undecryptable);
        }
        return control;
    }

    /** The next refused control, or a failure after 20 s. */
    public String nextRefused() throws InterruptedException {
        String refused = refusedControls.poll(20, TimeUnit.SECONDS);
        if (refused == null) {
            throw new AssertionError("no refused control within 20 s; applied: " + controls);
        }
        return refused;
    }
}
