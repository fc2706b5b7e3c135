package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete one of your messages for everyone (within 24 hours of sending it); prints the"
        + " delete's id once the server stored it.")
final class DeleteCommand extends ConversationCommand {

    @Parameters(index = "1", paramLabel = "ID", description = "The id of your message.")
    String id;

    @Override
    int run(ParleyClient client) throws Exception {
        String sent = client.conversations().delete(conversation(), id);
        awaitStored(client);
        out().println(sent);
        return 0;
    }
}
