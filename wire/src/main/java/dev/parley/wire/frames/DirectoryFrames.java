package dev.parley.wire.frames;

import dev.parley.wire.FieldReader;
import dev.parley.wire.FieldWriter;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import java.util.List;

/** Who is on the server, with which identity, and who is online (docs/PROTOCOL.md §4). */
public final class DirectoryFrames {

    /**
     * Subscribes this connection to directory changes, and asks for the whole list; refused with
     * {@code directory_private} on a server whose directory is private.
     */
    public record GetPublicKeys(String id) implements WireFrame.Request {
        public static final String TYPE = "get_public_keys";
    }

    /**
     * Looks up accounts by exact username (1 to {@value #MAX_LOOKUP} names), in either directory
     * mode; answered by a {@link PublicKeys} that is not complete and lists only the names that
     * exist. The connection then receives the pushes of the accounts it found.
     */
    public record FindUsers(String id, List<String> usernames) implements WireFrame.Request {
        public static final String TYPE = "find_users";

        public FindUsers {
            usernames = List.copyOf(usernames);
            if (usernames.isEmpty() || usernames.size() > MAX_LOOKUP) {
                throw new IllegalArgumentException("find_users names 1 to " + MAX_LOOKUP + " usernames");
            }
        }
    }

    public record UserKeys(String username, IdentityKeys identity, boolean online) {
        static UserKeys read(FieldReader f) {
            return new UserKeys(AuthFrames.username(f), f.object("identity", IdentityKeys::read), f.bool("online"));
        }

        static void write(UserKeys user, FieldWriter w) {
            w.string("username", user.username()).object("identity", user.identity(), IdentityKeys::write)
                    .bool("online", user.online());
        }
    }

    /**
     * The answer to {@link GetPublicKeys} ({@code complete}: every account, by username), to
     * {@link FindUsers} (not complete: the names found), or, unprompted and not complete, an
     * account created or reset.
     */
    public record PublicKeys(String re, boolean complete, List<UserKeys> users) implements WireFrame.Answer {
        public static final String TYPE = "public_keys";
    }

    /** A subscribed connection learns that {@code username} came online or went away. */
    public record Presence(String username, boolean online) implements WireFrame {
        public static final String TYPE = "presence";
    }

    /** The most users one {@code public_keys} may list (a directory larger than this is not a Parley server's). */
    static final int MAX_USERS = 100_000;

    /** The most usernames one {@code find_users} may name. */
    public static final int MAX_LOOKUP = 100;

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromClient(GetPublicKeys.TYPE, GetPublicKeys.class,
                    f -> new GetPublicKeys(f.id("id")), (g, w) -> { }),
            FrameType.fromClient(FindUsers.TYPE, FindUsers.class,
                    f -> new FindUsers(f.id("id"), f.strings("usernames", 1, MAX_LOOKUP, WireLimits.MAX_NAME_CHARS)),
                    (u, w) -> w.strings("usernames", u.usernames())),
            FrameType.fromServer(PublicKeys.TYPE, PublicKeys.class,
                    f -> new PublicKeys(f.reOrNull(), f.bool("complete"), f.list("users", MAX_USERS, UserKeys::read)),
                    (p, w) -> w.bool("complete", p.complete()).array("users", p.users(), UserKeys::write)),
            FrameType.fromServer(Presence.TYPE, Presence.class,
                    f -> new Presence(AuthFrames.username(f), f.bool("online")),
                    (p, w) -> w.string("username", p.username()).bool("online", p.online())));

    private DirectoryFrames() {
    }
}
