package dev.parley.client.cli;

import dev.parley.client.DeviceInfo;
import dev.parley.client.ParleyClient;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(name = "devices",
        description = "List this account's devices: id<TAB>name<TAB>linked<TAB>last-seen<TAB>this|other"
        + " (times in UTC, '-' when unknown).",
        subcommands = {DevicesApproveCommand.class, DevicesUnlinkCommand.class, DevicesSignOutCommand.class})
final class DevicesCommand extends ClientCommand {

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (ParleyClient client = connected()) {
            for (DeviceInfo device : client.devices()) {
                out.println(device.id() + "\t" + Terminal.safe(device.name()) + "\t" + Instant.ofEpochMilli(device.linkedAt())
                        + "\t" + (device.lastSeen() == null ? "-" : Instant.ofEpochMilli(device.lastSeen()).toString())
                        + "\t" + (device.thisDevice() ? "this" : "other"));
            }
        }
        return 0;
    }
}
