package dev.parley.client.cli;

import dev.parley.client.ConversationRef;
import dev.parley.client.ParleyClient;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A connected command about one conversation, named first: a user, or with {@code --group} a
 * group (its id or its name): {@code parley COMMAND [--group] CONV ...}. What it queued is
 * waited for until the server stored it.
 */
abstract class ConversationCommand extends ConnectedCommand {

    @Option(names = "--group", description = "CONV is a group (its id or name), not a user.")
    boolean group;

    @Parameters(index = "0", paramLabel = "CONV", description = "The user, or with --group the group's id or name.")
    String conversation;

    ConversationRef conversation() {
        return group ? ConversationRef.group(conversation) : ConversationRef.user(conversation);
    }

    /** Waits until the server stored what the command queued (exit 10 past the wait; it stays in the outbox). */
    static void awaitStored(ParleyClient client) throws Exception {
        GroupSubcommand.awaitStored(client);
    }
}
