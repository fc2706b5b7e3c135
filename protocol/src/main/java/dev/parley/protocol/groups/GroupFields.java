package dev.parley.protocol.groups;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.codec.Utf8;
import dev.parley.protocol.link.DeviceName;
import dev.parley.wire.WireLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The field rules and shared encodings of group states and changes (CRYPTO.md §11), in one
 * place. Builders throw {@link IllegalArgumentException}; readers throw a malformed
 * {@link ProtocolException}.
 */
final class GroupFields {

    static final int ROLE_MEMBER = 0x00;
    static final int ROLE_ADMIN = 0x01;

    private GroupFields() {}

    /** A username: {@code [a-z0-9_]{3,32}} ({@link WireLimits#USERNAME}). */
    static String requireUsername(String username) {
        if (username == null || !WireLimits.USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("username must match [a-z0-9_]{3,32}");
        }
        return username;
    }

    /** A group name: the device-name rule (CRYPTO.md §10.2): 1..64 UTF-8 bytes, no control or bidi characters. */
    static byte[] nameBytes(String name) {
        try {
            return DeviceName.encode(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("group name: " + e.getMessage());
        }
    }

    static String readName(ByteReader in) throws ProtocolException {
        String name = Utf8.decode(in.u8Prefixed(), in);
        try {
            nameBytes(name);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
        return name;
    }

    static String readUsername(ByteReader in) throws ProtocolException {
        String username = Utf8.decode(in.u8Prefixed(), in);
        if (!WireLimits.USERNAME.matcher(username).matches()) {
            throw in.malformed("username must match [a-z0-9_]{3,32}");
        }
        return username;
    }

    /** {@code u16 count || count x (u8 role || u8 len || utf8 username)}, in the list's order. */
    static void writeMembers(ByteWriter out, List<GroupMember> members) {
        out.u16(members.size());
        for (GroupMember member : members) {
            out.u8(member.admin() ? ROLE_ADMIN : ROLE_MEMBER).u8Prefixed(member.usernameBytes());
        }
    }

    static List<GroupMember> readMembers(ByteReader in) throws ProtocolException {
        int count = in.u16();
        List<GroupMember> members = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            boolean admin = switch (in.u8()) {
                case ROLE_MEMBER -> false;
                case ROLE_ADMIN -> true;
                default -> throw in.malformed("member role must be 0x00 or 0x01");
            };
            members.add(new GroupMember(readUsername(in), admin));
        }
        return members;
    }

    /** {@code u16 count || count x (u8 len || utf8 username)}. */
    static void writeUsernames(ByteWriter out, List<String> usernames) {
        out.u16(usernames.size());
        usernames.forEach(username -> out.u8Prefixed(Utf8.encode(username)));
    }

    static List<String> readUsernames(ByteReader in) throws ProtocolException {
        int count = in.u16();
        List<String> usernames = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            usernames.add(readUsername(in));
        }
        return usernames;
    }

    /** Valid usernames, each once, {@code 1..max} of them; returns an immutable copy. */
    static List<String> requireUsernames(List<String> usernames, int max) {
        List<String> copy = List.copyOf(usernames);
        if (copy.isEmpty() || copy.size() > max) {
            throw new IllegalArgumentException("a change names 1.." + max + " usernames");
        }
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("a change names each username once");
        }
        copy.forEach(GroupFields::requireUsername);
        return copy;
    }

    /** True if the members are in strictly ascending order of their usernames' bytes (so each is there once). */
    static boolean strictlyAscending(List<GroupMember> members) {
        for (int i = 1; i < members.size(); i++) {
            if (Bytes.compareUnsigned(members.get(i - 1).usernameBytes(), members.get(i).usernameBytes()) >= 0) {
                return false;
            }
        }
        return true;
    }
}
