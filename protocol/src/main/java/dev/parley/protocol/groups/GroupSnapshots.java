package dev.parley.protocol.groups;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A group state sent to a new member or a newly linked device in parts (payload 0x0C kind 0x02,
 * CRYPTO.md §11): the parts, in index order, concatenate to the {@code StateBytes} of the
 * version and state hash every part names. The receiver trusts the joined state only as far as
 * the sender: a new member applies the add change that names its hash.
 */
public final class GroupSnapshots {

    /** Parts are numbered by a u16. */
    public static final int MAX_PARTS = 0xFFFF;

    private GroupSnapshots() {}

    /** {@code StateBytes} of {@code state} cut into parts of at most {@code maxPartBytes} bytes (the last may be shorter). */
    public static List<byte[]> split(GroupState state, int maxPartBytes) {
        if (maxPartBytes < 1) {
            throw new IllegalArgumentException("a snapshot part holds at least one byte");
        }
        byte[] bytes = state.encode();
        if ((bytes.length + maxPartBytes - 1) / maxPartBytes > MAX_PARTS) {
            throw new IllegalArgumentException("a snapshot has at most " + MAX_PARTS + " parts");
        }
        List<byte[]> parts = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += maxPartBytes) {
            parts.add(Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + maxPartBytes)));
        }
        return List.copyOf(parts);
    }

    /**
     * Joins parts into the state they encode.
     *
     * @throws ProtocolException {@link Failure#MALFORMED} if there are no parts, the joined bytes
     *     are not a valid state, or its version or hash is not the one named
     */
    public static GroupState join(long version, byte[] stateHash, List<byte[]> partsInIndexOrder) throws ProtocolException {
        if (partsInIndexOrder.isEmpty() || partsInIndexOrder.size() > MAX_PARTS) {
            throw new ProtocolException(Failure.MALFORMED, "group snapshot: 1.." + MAX_PARTS + " parts");
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        partsInIndexOrder.forEach(joined::writeBytes);
        GroupState state = GroupState.decode(joined.toByteArray());
        if (state.version() != version) {
            throw new ProtocolException(Failure.MALFORMED, "group snapshot: version " + state.version()
                    + " is not the announced " + version);
        }
        if (!MessageDigest.isEqual(state.hash(), Bytes.requireLength(stateHash, GroupChange.HASH_SIZE, "state hash"))) {
            throw new ProtocolException(Failure.MALFORMED, "group snapshot: state hash mismatch");
        }
        return state;
    }
}
