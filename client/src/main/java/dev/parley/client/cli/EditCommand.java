package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "edit", description = "Replace the text of one of your messages (within 24 hours of sending it), for everyone;"
        + " prints the edit's id once the server stored it.")
final class EditCommand extends ConversationCommand {

    @Parameters(index = "1", paramLabel = "ID", description = "The id of your message.")
    String id;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "TEXT", description = "The new text (several words are joined with spaces).")
    List<String> words;

    @Override
    int run(ParleyClient client) throws Exception {
        String sent = client.conversations().edit(conversation(), id, String.join(" ", words));
        awaitStored(client);
        out().println(sent);
        return 0;
    }
}
