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

@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        description = "Send a text; returns once the server stored it and prints the message id.")
final class SendCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String to;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message (several words are joined with spaces).")
    List<String> words;

    @Override
    public Integer call() throws Exception {
        try (ParleyClient client = cli.connected(new ParleyListener() { })) {
            ParleyCli.warnLookAlikes(client, to, spec.commandLine().getErr());
            String id = client.send(to, String.join(" ", words));
            spec.commandLine().getOut().println(id);
        }
        return 0;
    }
}
