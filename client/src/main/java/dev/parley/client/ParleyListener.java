package dev.parley.client;

import java.util.List;

/**
 * Receives what arrives for the account. Every method has an empty default, so a listener
 * implements only what it needs. Calls come one at a time on the client's receive thread, after
 * the event is committed to the local store (a message is stored before {@link #onMessage} and
 * acknowledged to the server after it was stored); a slow listener delays further messages.
 */
public interface ParleyListener {

    /** A text message arrived (each message once, even when the server delivers it twice). */
    default void onMessage(IncomingMessage message) {
    }

    /**
     * The server stored this text of ours ({@link MessageStatus#SENT}); called once per message.
     * A {@code send} made while disconnected returned with the message pending: this is where
     * its caller learns it went out.
     */
    default void onSent(String to, String messageId) {
    }

    /**
     * A text of ours that was kept while disconnected can never be sent: {@code reason} says
     * why (the recipient does not exist on the server). It was removed from the outbox.
     */
    default void onNotSent(String to, String messageId, String reason) {
    }

    /** The recipient's device stored these messages of ours. */
    default void onDelivered(String from, List<String> messageIds) {
    }

    /** The recipient marked these messages of ours read. */
    default void onRead(String from, List<String> messageIds) {
    }

    /** The user started ({@code typing}) or stopped typing to us. */
    default void onTyping(String from, boolean typing) {
    }

    /**
     * A contact's identity key changed (the directory or a first message shows a new one).
     * {@code contact.trust()} is {@link Contact.Trust#CHANGED} if it had been verified: sending
     * to it is refused until the new safety number is verified.
     */
    default void onIdentityChanged(Contact contact) {
    }

    /**
     * {@code contact}'s identity changed (an account reset, reported to
     * {@link #onIdentityChanged} just before) and these texts of ours, in the order they were
     * written, will never reach them: the server dropped what it held for the old identity, and
     * what was still in the outbox was encrypted for it. Their status is now
     * {@link MessageStatus#UNDELIVERED}. {@link ParleyClient#resendUndelivered} sends them again,
     * as new messages, once the new identity is accepted.
     */
    default void onUndelivered(String contact, List<String> messageIds) {
    }

    /** A user came online or went offline. */
    default void onPresence(String username, boolean online) {
    }

    /**
     * A message could not be decrypted (tampered, or made for a lost session), or came from a
     * device that the sender's signed device list does not have; it was acknowledged so that it
     * does not block the queue. {@code reason} is a protocol failure code (such as
     * {@code MALFORMED}) or, for the device check, a sentence ("sent from a device bob's signed
     * device list does not have (device 2; the list has [1])").
     */
    default void onUndecryptable(String from, String messageId, String reason) {
    }

    /** The connection ended and will not be restored ({@code session_replaced}, {@code identity_reset}, or closed). */
    default void onDisconnected(String reason) {
    }

    /**
     * Another device of this account sent {@code message} (its sent transcript arrived); it is in
     * the history as an outgoing message.
     */
    default void onSentElsewhere(SentElsewhere message) {
    }

    /** A new device was linked to this account ("A new device was linked: NAME, TIME"). */
    default void onDeviceLinked(int device, String name, long linkedAt) {
    }

    /** History from the approving device arrived: chunk {@code received} of {@code total} (a device just linked). */
    default void onHistoryProgress(int received, int total) {
    }

    /**
     * The server's devices for this account differ from the list its devices signed ("a device
     * this account did not approve is on the server"), or the server's list is not one they
     * signed. Checked at every login and whenever the account's devices change.
     */
    default void onDeviceWarning(String warning) {
    }

    // ---- groups ---------------------------------------------------------------------------------

    /**
     * A group text arrived ({@code message.outgoing()} false), or another device of this account
     * sent one ({@code outgoing()} true, {@code device()} that device); each once.
     */
    default void onGroupMessage(GroupEntry message) {
    }

    /**
     * A change to a group was applied here (received, or made on this device): {@code group} is
     * the group as it is now, {@code line.text()} says what changed in words ("alice added bob").
     */
    default void onGroupChanged(GroupInfo group, GroupEntry line) {
    }

    /**
     * Something in a group was refused or failed: a change refused by the group rules
     * ({@code reason} {@code bad_signature}, {@code not_admin}, {@code stale}, {@code forked},
     * {@code gap}, {@code invalid}; the state is unchanged), or one of this account's messages or
     * changes that could not be sent to a member ({@code not_sent}). {@code line} is the warning
     * as the group's history keeps it.
     */
    default void onGroupWarning(String group, String reason, GroupEntry line) {
    }

    /** {@code from} started ({@code typing}) or stopped typing in {@code group}. */
    default void onGroupTyping(String group, String from, boolean typing) {
    }

    /** A device of {@code member} stored ({@code read} false) or {@code member} read these group texts of ours. */
    default void onGroupReceipt(String group, String member, boolean read, java.util.List<String> messageIds) {
    }

    // ---- message content and controls (docs/CLIENT-MODEL.md, "Message content and controls") ---------

    /**
     * A message (0x0F: with a quote, an attachment or a timer) arrived, 1:1 or in a group, or
     * another device of this account sent one ({@code message.outgoing()}); each once, after it
     * was stored. Plain texts still come to {@link #onMessage} and {@link #onGroupMessage}.
     */
    default void onContentMessage(ContentMessage message) {
    }

    /**
     * An edit, delete, reaction or timer change was applied here: received, or sent by another
     * device of this account. Read the message as it is now with
     * {@link Conversations#message}.
     */
    default void onControl(ControlEvent control) {
    }

    /**
     * A control was refused and changed nothing: not the author's message (a forged edit or
     * delete), more than 24 hours after its target, its target deleted, or too many waiting for
     * targets that never came. In a group it is also a warning in the group's history.
     */
    default void onControlRefused(ControlEvent control, String reason) {
    }

    /** A disappearing message's time was up: it was erased from this device (with its reactions and attachment key). */
    default void onExpired(ConversationRef conversation, String author, String messageId) {
    }
}
