package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "leave", description = "Leave a group (its last admin makes the next member an admin first).")
final class GroupLeaveCommand extends GroupSubcommand {

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id or name.")
    String group;

    @Override
    int run(ParleyClient client) throws Exception {
        client.leaveGroup(group);
        awaitStored(client);
        return 0;
    }
}
