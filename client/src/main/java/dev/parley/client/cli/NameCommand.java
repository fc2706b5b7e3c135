package dev.parley.client.cli;

import picocli.CommandLine.Parameters;

/** A command about one user, named first: {@code parley COMMAND NAME ...}. */
abstract class NameCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The user's account name.")
    String name;
}
