package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "remove", description = "Remove members (an admin only); they read nothing sent after it.")
final class GroupRemoveCommand extends GroupSubcommand {

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id or name.")
    String group;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "USER", description = "The account names.")
    List<String> users;

    @Override
    int run(ParleyClient client) throws Exception {
        client.removeFromGroup(group, users);
        awaitStored(client);
        return 0;
    }
}
