package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        description = "Mark NAME's identity verified if NUMBER is your safety number with NAME"
        + " (spaces ignored). Also accepts a changed identity, so sending resumes.")
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NUMBER")
    List<String> digits;

    @Override
    public Integer call() throws Exception {
        try (ParleyClient client = cli.connected(new ParleyListener() { })) {
            client.verify(name, String.join("", digits));
            spec.commandLine().getOut().println(name + " is verified.");
        }
        return 0;
    }
}
