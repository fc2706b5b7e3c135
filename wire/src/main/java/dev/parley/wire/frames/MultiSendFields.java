package dev.parley.wire.frames;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.FieldReader;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The strict reading of a {@code send_multi} (docs/PROTOCOL.md §6a) into
 * {@link DeliveryFrames.SendMulti}: a frame names its recipients or a recipient set, never both
 * and never neither; a frame naming a set has a content; each account and each of its devices
 * appears once; a copy without an envelope of its own is allowed only when the frame has a
 * content. Every refusal is {@code bad_frame} naming the field.
 */
final class MultiSendFields {

    static SendMulti sendMulti(FieldReader f) {
        String id = f.id("id");
        String content = DeliveryFrames.optionalBase64(f, "content");
        String set = f.has("recipientSet") ? f.id("recipientSet") : null;
        List<MultiRecipient> recipients = f.has("recipients") ? recipients(f, content != null) : null;
        if (set != null && recipients != null) {
            throw f.refuse(ErrorCode.BAD_FRAME, "recipientSet", "absent when the frame names its recipients");
        }
        if (set == null && recipients == null) {
            throw f.refuse(ErrorCode.BAD_FRAME, "recipients",
                    "an array of 1 to " + WireLimits.MAX_MULTI_RECIPIENTS + " recipients (or a recipientSet)");
        }
        if (set != null && content == null) {
            throw f.refuse(ErrorCode.BAD_FRAME, "content", "present when the frame names a recipientSet");
        }
        return new SendMulti(id, content, recipients == null ? List.of() : recipients, set, ExpiresIn.read(f));
    }

    private static List<MultiRecipient> recipients(FieldReader f, boolean hasContent) {
        String expectation = "an array of 1 to " + WireLimits.MAX_MULTI_RECIPIENTS + " recipients";
        List<MultiRecipient> recipients = f.list("recipients", WireLimits.MAX_MULTI_RECIPIENTS,
                r -> recipient(r, hasContent));
        if (recipients.isEmpty()) {
            throw f.refuse(ErrorCode.BAD_FRAME, "recipients", expectation);
        }
        requireDistinct(f, "recipients", recipients, MultiRecipient::to, "account");
        return recipients;
    }

    private static MultiRecipient recipient(FieldReader f, boolean hasContent) {
        String to = f.string("to", WireLimits.MAX_NAME_CHARS);
        String expectation = "an array of 1 to " + WireLimits.MAX_DEVICES + " devices";
        if (!f.has("devices")) {
            throw f.refuse(ErrorCode.BAD_FRAME, "devices", expectation);
        }
        List<MultiDevice> devices = f.list("devices", WireLimits.MAX_DEVICES, d -> device(d, hasContent));
        if (devices.isEmpty()) {
            throw f.refuse(ErrorCode.BAD_FRAME, "devices", expectation);
        }
        requireDistinct(f, "devices", devices, MultiDevice::device, "device");
        return new MultiRecipient(to, devices);
    }

    private static MultiDevice device(FieldReader f, boolean hasContent) {
        int device = DeviceFrames.deviceId(f, "device");
        String envelope = DeliveryFrames.optionalBase64(f, "envelope");
        if (envelope == null && !hasContent) {
            throw f.refuse(ErrorCode.BAD_FRAME, "envelope", "present when the frame has no content");
        }
        return new MultiDevice(device, envelope);
    }

    /** Refuses {@code field} unless its {@code items} name each {@code what} (by {@code key}) once. */
    static <T> void requireDistinct(FieldReader f, String field, List<T> items, Function<T, ?> key, String what) {
        Set<Object> seen = new HashSet<>();
        for (T item : items) {
            if (!seen.add(key.apply(item))) {
                throw f.refuse(ErrorCode.BAD_FRAME, field, "an array naming each " + what + " once");
            }
        }
    }

    private MultiSendFields() {
    }
}
