package dev.parley.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of the server's command line also reads an environment variable, named after it:
 * {@code PARLEY_} and the option's long name in upper case with underscores ({@code --queue-share}
 * reads {@code PARLEY_QUEUE_SHARE}). A flag wins over the variable, the variable over the
 * option's default; an empty variable counts as unset. {@code --help} lists the variables in
 * its footer, so the names are written in one place: here.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider, IModelTransformer {

    private final UnaryOperator<String> environment;

    public EnvironmentDefaults() {
        this(System::getenv);
    }

    EnvironmentDefaults(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** The variable an option reads. */
    static String variable(OptionSpec option) {
        return "PARLEY_" + option.longestName().replaceFirst("^--", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String value = environment.apply(variable(option));
        return value == null || value.isEmpty() ? null : value;
    }

    /** Lists every option's variable in the help's footer. */
    @Override
    public CommandSpec transform(CommandSpec command) {
        List<String> lines = new ArrayList<>(List.of("Each option also reads an environment variable (a flag wins over it):"));
        for (OptionSpec option : command.options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                lines.add(String.format("  %-36s %s", variable(option), option.longestName()));
            }
        }
        command.usageMessage().footerHeading("%n").footer(lines.toArray(String[]::new));
        return command;
    }
}
