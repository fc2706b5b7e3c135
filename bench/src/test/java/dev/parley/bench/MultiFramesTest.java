package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.wire.Direction;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireJson;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load generator's {@code send_multi} splitting: every frame within the limits, every copy once, the content in each. */
class MultiFramesTest {

    private static final String CONTENT = WireJson.base64(new byte[357]);

    @Test
    void aShortMessageToAThousandMembersFitsOneFrame() {
        List<String> frames = MultiFrames.split("m1", CONTENT, recipients(999, 1, 0));
        assertEquals(1, frames.size());
        assertCovers(frames, 999, 1);
    }

    @Test
    void aRotationsDistributionsAreSplitIntoFramesWithinTheLimitEachCarryingTheContent() {
        List<String> frames = MultiFrames.split("m2", CONTENT, recipients(999, 1, 430));
        assertTrue(frames.size() > 1, "999 envelopes of 430 bytes cannot fit one frame");
        assertCovers(frames, 999, 1);
    }

    @Test
    void severalDevicesPerMemberStayTogetherInOneFrame() {
        List<String> frames = MultiFrames.split("m3", CONTENT, recipients(300, 3, 430));
        assertCovers(frames, 300, 3);
    }

    @Test
    void aRecipientTooLargeForAnyFrameIsRefused() {
        assertThrows(IllegalStateException.class, () -> MultiFrames.split("m4", CONTENT, recipients(2, 1, 70_000)));
    }

    private static void assertCovers(List<String> frames, int members, int devices) {
        List<String> seen = new ArrayList<>();
        for (String text : frames) {
            assertTrue(text.length() <= WireLimits.MAX_FRAME_BYTES, () -> "frame of " + text.length() + " bytes");
            var frame = (SendMulti) FrameCatalogue.decode(Direction.CLIENT_TO_SERVER, text);
            assertEquals(CONTENT, frame.content());
            for (MultiRecipient recipient : frame.recipients()) {
                assertEquals(devices, recipient.devices().size());
                seen.add(recipient.to());
            }
        }
        assertEquals(members, seen.size());
        assertEquals(members, seen.stream().distinct().count());
    }

    /** {@code members} recipients of {@code devices} devices each, with envelopes of {@code envelopeBytes} (none if 0). */
    private static List<MultiRecipient> recipients(int members, int devices, int envelopeBytes) {
        String envelope = envelopeBytes == 0 ? null : WireJson.base64(new byte[envelopeBytes]);
        List<MultiRecipient> recipients = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            List<MultiDevice> list = new ArrayList<>();
            for (int d = 1; d <= devices; d++) {
                list.add(new MultiDevice(d, envelope));
            }
            recipients.add(new MultiRecipient("bxxxxx_m" + m, list));
        }
        return recipients;
    }
}
