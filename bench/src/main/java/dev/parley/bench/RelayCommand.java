package dev.parley.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Pairs of clients relay messages (sender -> server -> receiver, acknowledged); "
                + "reports delivered msgs/s, end-to-end latency and server CPU per message.")
final class RelayCommand implements Callable<Integer> {

    @Option(names = "--pairs", defaultValue = "50", description = "Sender/receiver pairs (default ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--size", defaultValue = "1024", description = "Envelope size in bytes before base64 (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--rate", defaultValue = "0",
            description = "Total messages per second offered, open loop; 0 = as fast as the server goes (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--window", defaultValue = "32",
            description = "Without --rate: messages in flight per pair (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--devices", defaultValue = "1",
            description = "Parley only: devices per account, 1 to 6; each message goes to every receiving device, "
                    + "with a transcript to the sender's other devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Mixin
    MeasuredWindow measured;

    @Option(names = "--target", defaultValue = "parley",
            description = "parley (default), or a comparison relay started from bench/peers: socketio, flask.")
    String target;

    @Mixin
    ScenarioOptions scenario;

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || devices > dev.parley.wire.WireLimits.MAX_DEVICES) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--devices must be 1 to " + dev.parley.wire.WireLimits.MAX_DEVICES);
        }
        var settings = new RelayScenario.Settings(pairs, size, rate, window, measured.warmup, measured.duration);
        if (!target.equals("parley")) {
            try (var peer = scenario.server.startPeer(target); var transport = new SocketIoRelay(peer.target())) {
                return scenario.report.report(new RelayScenario(settings).run(peer.target(), transport, ThreadCpuMeter.of(peer.target())));
            } catch (ServerOptions.PeerMissingException e) {
                var missing = new Result("relay", target);
                missing.extra.put("missing", e.getMessage());
                missing.errors = 1;
                return scenario.report.report(missing);
            }
        }
        return scenario.runOnParley((parley, executor) -> {
            try (var transport = new ParleyRelay(parley, devices)) {
                return new RelayScenario(settings).run(parley, transport, ThreadCpuMeter.of(parley));
            }
        });
    }
}
