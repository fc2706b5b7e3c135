package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.protocol.payload.Quote;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "reply", description = "Reply to a message (quoting its author and id); prints the new message's id once the"
        + " server stored it.")
final class ReplyCommand extends ConversationCommand {

    @Parameters(index = "1", paramLabel = "AUTHOR", description = "Who wrote the message you answer.")
    String author;

    @Parameters(index = "2", paramLabel = "ID", description = "The id of the message you answer.")
    String id;

    @Parameters(index = "3..*", arity = "1..*", paramLabel = "TEXT", description = "The reply (several words are joined with spaces).")
    List<String> words;

    @Override
    int run(ParleyClient client) throws Exception {
        String sent = client.conversations().reply(conversation(), new Quote(author, id), String.join(" ", words));
        awaitStored(client);
        out().println(sent);
        return 0;
    }
}
