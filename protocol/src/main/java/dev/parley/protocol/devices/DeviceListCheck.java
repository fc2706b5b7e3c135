package dev.parley.protocol.devices;

import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The sender's check of a contact's signed device list (CRYPTO.md §10.4). Pure: the caller
 * keeps, per contact identity, the highest list it accepted, and passes it as {@code previous}
 * (none at first, and none again after an identity change: versions restart with a new
 * {@code IK}). The checks, in this order, the first failing one deciding:
 *
 * <ol>
 *   <li>{@link Reason#MALFORMED}: not 1..{@value WireLimits#MAX_DEVICES} entries, an id outside
 *       1..255, ids not ascending and distinct, a key that is not 32 bytes, two equal keys,
 *       a version below 1, a time outside 0..2^53-1;
 *   <li>{@link Reason#BAD_SIGNATURE}: the signature does not verify under the contact's
 *       {@code IKs} over {@code SignedBytes.deviceList} ({@code parley-device-list-v1});
 *   <li>{@link Reason#ROLLBACK}: a version lower than {@code previous}'s;
 *   <li>{@link Reason#SAME_VERSION_DIFFERENT_CONTENT}: {@code previous}'s version with other
 *       signed content (the same content is accepted, {@link Accepted#same()});
 *   <li>{@link Reason#REUSED_DEVICE_ID}: a newer list that lists an id {@code previous} did not
 *       at or below {@code previous}'s largest id, or lists one of {@code previous}'s ids with
 *       another key. Ids are never reused within an identity (a new device takes one more than
 *       the largest ever listed), so no honest newer list does either.
 * </ol>
 *
 * A refused list is not used: nothing is encrypted to the contact until a list is accepted.
 */
public final class DeviceListCheck {

    /** Why a list was refused; stable, for callers (SDK errors, UI text). */
    public enum Reason { MALFORMED, BAD_SIGNATURE, ROLLBACK, SAME_VERSION_DIFFERENT_CONTENT, REUSED_DEVICE_ID }

    /** The outcome of {@link #check}. */
    public sealed interface Decision {}

    /** The list may be used; {@code same}: it is the one accepted before (same version and content). */
    public record Accepted(boolean same) implements Decision {}

    /** The list must not be used; {@code detail} says which rule, for logs and messages (no key material). */
    public record Refused(Reason reason, String detail) implements Decision {}

    private DeviceListCheck() {}

    public static Decision check(PublicIdentity contact, DeviceList previous, DeviceList list) {
        String malformation = malformation(list);
        if (malformation != null) {
            return new Refused(Reason.MALFORMED, malformation);
        }
        if (!Ed25519.verify(contact.signingKey(), list.signedBytes(), list.signature())) {
            return new Refused(Reason.BAD_SIGNATURE, "the signature does not verify under the contact's identity");
        }
        if (previous == null) {
            return new Accepted(false);
        }
        if (list.version() < previous.version()) {
            return new Refused(Reason.ROLLBACK, "version " + list.version() + " is below the accepted " + previous.version());
        }
        if (list.version() == previous.version()) {
            return Arrays.equals(list.signedBytes(), previous.signedBytes())
                    ? new Accepted(true)
                    : new Refused(Reason.SAME_VERSION_DIFFERENT_CONTENT, "version " + list.version() + " with other content");
        }
        for (DeviceEntry entry : list.devices()) {
            DeviceEntry before = previous.device(entry.id());
            if (before == null ? entry.id() <= previous.maxDeviceId() : !Arrays.equals(before.key(), entry.key())) {
                return new Refused(Reason.REUSED_DEVICE_ID, "device id " + entry.id() + " was used before");
            }
        }
        return new Accepted(false);
    }

    /** Why {@code list} is not well formed, or null. */
    public static String malformation(DeviceList list) {
        if (list.version() < 1 || list.version() > WireLimits.MAX_JSON_INTEGER) {
            return "version outside 1..2^53-1";
        }
        if (list.issuedAt() < 0 || list.issuedAt() > WireLimits.MAX_JSON_INTEGER) {
            return "issuedAt outside 0..2^53-1";
        }
        int count = list.devices().size();
        if (count < 1 || count > WireLimits.MAX_DEVICES) {
            return "a list holds 1 to " + WireLimits.MAX_DEVICES + " devices, this one " + count;
        }
        Set<String> keys = new HashSet<>();
        int last = 0;
        for (DeviceEntry entry : list.devices()) {
            if (entry.id() < 1 || entry.id() > WireLimits.MAX_DEVICE_ID) {
                return "device id " + entry.id() + " outside 1.." + WireLimits.MAX_DEVICE_ID;
            }
            if (entry.id() <= last) {
                return "device ids not ascending and distinct";
            }
            last = entry.id();
            if (entry.key() == null || entry.key().length != Ed25519.KEY_SIZE) {
                return "device " + entry.id() + ": key not " + Ed25519.KEY_SIZE + " bytes";
            }
            if (!keys.add(Arrays.toString(entry.key()))) {
                return "two devices with the same key";
            }
            if (entry.linkedAt() < 0 || entry.linkedAt() > WireLimits.MAX_JSON_INTEGER) {
                return "device " + entry.id() + ": linkedAt outside 0..2^53-1";
            }
        }
        if (list.signature() == null || list.signature().length != Ed25519.SIGNATURE_SIZE) {
            return "signature not " + Ed25519.SIGNATURE_SIZE + " bytes";
        }
        return null;
    }
}
