package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "verify",
        description = "Mark NAME's identity verified if NUMBER is your safety number with NAME"
        + " (spaces ignored). Also accepts a changed identity, so sending resumes.")
final class VerifyCommand extends NameCommand {

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NUMBER")
    List<String> digits;

    @Override
    int run(ParleyClient client) throws Exception {
        client.verify(name, String.join("", digits));
        out().println(name + " is verified.");
        return 0;
    }
}
