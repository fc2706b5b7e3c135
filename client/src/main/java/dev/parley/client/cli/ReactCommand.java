package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "react", description = "React to a message with an emoji (replacing your reaction to it), or remove your"
        + " reaction with --remove; prints the reaction's id once the server stored it.")
final class ReactCommand extends ConversationCommand {

    @Parameters(index = "1", paramLabel = "AUTHOR", description = "Who wrote the message.")
    String author;

    @Parameters(index = "2", paramLabel = "ID", description = "The message's id.")
    String id;

    @Parameters(index = "3", arity = "0..1", paramLabel = "EMOJI", description = "The emoji (at most 32 bytes).")
    String emoji;

    @Option(names = "--remove", description = "Remove your reaction instead.")
    boolean remove;

    @Override
    int run(ParleyClient client) throws Exception {
        if (remove == (emoji != null)) {
            throw new ClientException(Reason.REFUSED, "give an EMOJI, or --remove without one");
        }
        String sent = client.conversations().react(conversation(), author, id, remove ? "" : emoji);
        awaitStored(client);
        out().println(sent);
        return 0;
    }
}
