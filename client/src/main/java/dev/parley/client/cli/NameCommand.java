package dev.parley.client.cli;

import picocli.CommandLine.Parameters;

/** A connected command about one user, named first: {@code parley COMMAND NAME ...}. */
abstract class NameCommand extends ConnectedCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The user's account name.")
    String name;
}
