package dev.parley.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Mixin;

/**
 * What every scenario command shares (a picocli mixin): which server it drives, how it reports,
 * and the run around a scenario's body against Parley.
 */
final class ScenarioOptions {

    @Mixin
    ServerOptions server;

    @Mixin
    ReportOptions report;

    /** A scenario against a started Parley server; its clients run on {@code executor} (virtual threads). */
    interface ParleyScenario {
        Result run(Target target, ExecutorService executor) throws Exception;
    }

    /** Starts the server (or takes {@code --server}), runs the scenario and reports; returns the exit status. */
    int runOnParley(ParleyScenario scenario) throws Exception {
        try (var running = server.startParley(); var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            return report.report(scenario.run(running.target(), executor));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }
}
