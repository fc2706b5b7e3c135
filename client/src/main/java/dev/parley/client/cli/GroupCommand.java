package dev.parley.client.cli;

import picocli.CommandLine.Command;

@Command(name = "group",
        description = "Groups: create one, send to it, add or remove members, leave, list them and their members."
        + " A GROUP is named by its id (as 'group create' and 'group list' print it) or by a name only one of your groups has.",
        subcommands = {GroupCreateCommand.class, GroupSendCommand.class, GroupAddCommand.class, GroupRemoveCommand.class,
                GroupLeaveCommand.class, GroupListCommand.class, GroupMembersCommand.class,
                GroupSendFileCommand.class})
final class GroupCommand extends ClientCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(err());
        return 2;
    }
}
