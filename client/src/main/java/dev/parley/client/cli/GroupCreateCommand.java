package dev.parley.client.cli;

import dev.parley.client.GroupInfo;
import dev.parley.client.ParleyClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a group with you as its admin; prints its id once the members' copies are stored.")
final class GroupCreateCommand extends GroupSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The group's name (1-64 bytes).")
    String name;

    @Option(names = "--members", split = ",", paramLabel = "USER[,USER...]", required = true,
            description = "The members besides you, separated by commas.")
    List<String> members;

    @Override
    int run(ParleyClient client) throws Exception {
        GroupInfo created = client.createGroup(name, members);
        awaitStored(client);
        out().println(created.id());
        return 0;
    }
}
