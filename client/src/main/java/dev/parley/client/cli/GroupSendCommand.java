package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "send", description = "Send a text to a group; prints the message id once the server stored it.")
final class GroupSendCommand extends GroupSubcommand {

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id or name.")
    String group;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message (several words are joined with spaces).")
    List<String> words;

    @Override
    int run(ParleyClient client) throws Exception {
        String id = client.sendGroup(group, String.join(" ", words));
        awaitStored(client);
        out().println(id);
        return 0;
    }
}
