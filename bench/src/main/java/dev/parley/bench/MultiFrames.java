package dev.parley.bench;

import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.util.ArrayList;
import java.util.List;

/**
 * One message as {@code send_multi} frames (docs/PROTOCOL.md §6a), each within the frame
 * limit ({@link WireLimits#MAX_FRAME_BYTES}) and the recipient limit, each carrying the
 * content once, all under the message's id, as a client splits a send that does not fit one
 * frame (a rotation's per-device distributions at 1,000 members take several).
 *
 * <p>The recipients are split into the fewest equal runs whose frames all fit: frames are
 * encoded whole by the catalogue, so each size is exact. Invariant: frame texts are ASCII (ids,
 * usernames and base64url only), so a text's length is its size in bytes on the wire.
 */
final class MultiFrames {

    private MultiFrames() {
    }

    /** One frame of a message: the recipients it names, and its text. */
    record Part(List<MultiRecipient> recipients, String frame) {
    }

    /** The frames of one message: {@code content} (nullable) once per frame, every recipient once over all. */
    static List<String> split(String id, String content, List<MultiRecipient> recipients) {
        return parts(id, content, recipients).stream().map(Part::frame).toList();
    }

    /** As {@link #split}, with the recipients each frame names (a recipient set is issued per frame). */
    static List<Part> parts(String id, String content, List<MultiRecipient> recipients) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a send_multi needs at least one recipient");
        }
        String whole = FrameCatalogue.encode(new SendMulti(id, content, recipients));
        if (whole.length() <= WireLimits.MAX_FRAME_BYTES && recipients.size() <= WireLimits.MAX_MULTI_RECIPIENTS) {
            return List.of(new Part(recipients, whole));
        }
        int parts = Math.max(ceilDiv(whole.length(), WireLimits.MAX_FRAME_BYTES),
                ceilDiv(recipients.size(), WireLimits.MAX_MULTI_RECIPIENTS));
        while (parts <= recipients.size()) {
            List<Part> frames = splitInto(parts, id, content, recipients);
            if (frames != null) {
                return frames;
            }
            parts++;
        }
        throw new IllegalStateException("one recipient's part of message " + id + " alone exceeds the frame limit");
    }

    /** The recipients in {@code parts} runs of (nearly) equal length, or null if a frame exceeds the limit. */
    private static List<Part> splitInto(int parts, String id, String content, List<MultiRecipient> recipients) {
        List<Part> frames = new ArrayList<>(parts);
        int from = 0;
        for (int part = 0; part < parts; part++) {
            int to = (int) ((long) recipients.size() * (part + 1) / parts);
            List<MultiRecipient> named = recipients.subList(from, to);
            String frame = FrameCatalogue.encode(new SendMulti(id, content, named));
            if (frame.length() > WireLimits.MAX_FRAME_BYTES) {
                return null;
            }
            frames.add(new Part(named, frame));
            from = to;
        }
        return frames;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
