package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.Devices;
import java.util.Optional;

/**
 * Whether a relayed message may count as coming from its sender's account (CLIENT-MODEL.md,
 * "Receiving" 5): only if a device list signed by the identity the message was made with, and
 * accepted by the sender's check ({@link DeviceLists#refusal}), lists its {@code fromDevice}.
 * The server routes by the list it stores, but a device row or list entry it adds on its own is
 * in no list the account signed, so its messages are refused here, for one's own account and for
 * contacts alike.
 *
 * <p>The check runs in two steps around the decryption, which works on copies and commits
 * nothing: {@link #beforeDecryption} decides with the list held for the identity expected (the
 * contact's known one, or one's own), fetching the list again once when the held one lacks the
 * device (it may have been linked a moment ago); {@link #afterDecryption} decides what is left
 * once the message's identity is known (a first message, or a contact's new identity after a
 * reset, whose list restarts at version 1), with that same fetched list or, when none was
 * fetched yet, one fetched now. So at most one {@code get_devices} is made per message. A device
 * that is not listed can never become valid (device ids are never reused): the message is
 * reported and acknowledged. A fetch that fails for lack of an answer decides nothing: the
 * message stays unacknowledged and the server replays it after the next login.
 *
 * <p>Callers hold {@link Messaging#lock}.
 */
final class SenderDevices {

    /** The outcome of a step. */
    sealed interface Verdict permits Accepted, Refused, Retry, Undecided {}

    /**
     * {@code fromDevice} is in the list accepted under {@code signer}; {@code toStore}, when not
     * null, is that list, to be stored in the receive transaction after the identity was observed
     * (a first message or a changed identity: storing it earlier would be undone by the change).
     */
    record Accepted(PublicIdentity signer, DeviceList toStore) implements Verdict {}

    /** Never acceptable: {@code reason} (in words) is reported, and the message acknowledged. */
    record Refused(String reason) implements Verdict {}

    /** The list could not be fetched: the message is left unacknowledged and comes again after the next login. */
    record Retry() implements Verdict {}

    /**
     * Not decided before decryption: {@code expected} (null for an unknown sender) did not sign a
     * list that lists the device, as {@code refusal} says; {@code fetched} is the server's list,
     * to check under the message's identity if that is another one.
     */
    record Undecided(PublicIdentity expected, DeviceList fetched, String refusal) implements Verdict {}

    private final DeviceLists lists;

    SenderDevices(DeviceLists lists) {
        this.lists = lists;
    }

    /**
     * The step before decryption, for a message from {@code from}'s device {@code fromDevice}
     * that is expected to be made with {@code expected} (one's own identity for one's own
     * account, a contact's known identity, or null for an account never seen).
     */
    Verdict beforeDecryption(String from, int fromDevice, PublicIdentity expected) {
        if (expected != null && lists.held(from).map(list -> DeviceLists.listed(list, fromDevice)).orElse(false)) {
            return new Accepted(expected, null);
        }
        DeviceList fetched;
        try {
            fetched = fetch(from);
        } catch (Unanswered e) {
            return new Retry();
        } catch (ClientException e) {
            return new Refused(notAccepted(from, e.getMessage()));
        }
        if (expected == null) {
            return new Undecided(null, fetched, unlisted(from, fromDevice, fetched));
        }
        Optional<String> refusal = DeviceLists.refusal(expected, lists.held(from), fetched);
        if (refusal.isPresent()) {
            return new Undecided(expected, fetched, notAccepted(from, refusal.get()));
        }
        lists.accept(from, fetched);
        return DeviceLists.listed(fetched, fromDevice) ? new Accepted(expected, null)
                : new Refused(unlisted(from, fromDevice, fetched));
    }

    /**
     * The step after decryption: {@code before} decided with the message's identity
     * {@code sender}. Returns {@link Accepted}, {@link Refused} or {@link Retry}.
     */
    Verdict afterDecryption(String from, int fromDevice, Verdict before, PublicIdentity sender) {
        DeviceList fetched;
        switch (before) {
            case Accepted accepted -> {
                if (accepted.signer().equals(sender)) {
                    return accepted;
                }
                try {
                    fetched = fetch(from); // a new identity: its own list, versions restarted
                } catch (Unanswered e) {
                    return new Retry();
                } catch (ClientException e) {
                    return new Refused(notAccepted(from, e.getMessage()));
                }
            }
            case Undecided undecided -> {
                if (sender.equals(undecided.expected())) {
                    return new Refused(undecided.refusal());
                }
                fetched = undecided.fetched();
            }
            case Refused refused -> {
                return refused;
            }
            case Retry retry -> {
                return retry;
            }
        }
        Optional<String> refusal = DeviceLists.refusal(sender, Optional.empty(), fetched);
        if (refusal.isPresent()) {
            return new Refused(notAccepted(from, "not signed by the identity this message was made with: " + refusal.get()));
        }
        return DeviceLists.listed(fetched, fromDevice) ? new Accepted(sender, fetched)
                : new Refused(unlisted(from, fromDevice, fetched));
    }

    /** The server's list of {@code owner}; {@link Unanswered} when the server could not be asked or did not answer. */
    private DeviceList fetch(String owner) throws ClientException, Unanswered {
        Devices answer;
        try {
            answer = lists.fetch(owner);
        } catch (ClientException e) {
            if (e.reason() == Reason.UNKNOWN_USER) {
                throw e; // the account is gone: its messages can never be checked
            }
            throw new Unanswered();
        }
        if (answer.list() == null) {
            throw new ClientException(Reason.REFUSED, "the server sent no device list");
        }
        return answer.list();
    }

    /** The list could not be fetched now (not connected, no answer, a refusal such as rate_limited). */
    private static final class Unanswered extends Exception {
        Unanswered() {
            super(null, null, false, false);
        }
    }

    private static String unlisted(String from, int fromDevice, DeviceList list) {
        return "sent from a device " + from + "'s signed device list does not have (device " + fromDevice
                + "; the list has " + list.devices().stream().map(DeviceEntry::id).toList() + ")";
    }

    private static String notAccepted(String from, String why) {
        return "sent from a device of " + from + " that no accepted device list of " + from + " has (" + why + ")";
    }
}
