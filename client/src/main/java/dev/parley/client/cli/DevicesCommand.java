package dev.parley.client.cli;

import dev.parley.client.DeviceInfo;
import dev.parley.client.ParleyClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import picocli.CommandLine.Command;

@Command(name = "devices",
        description = "List this account's devices: id<TAB>name<TAB>linked<TAB>last-seen<TAB>this|other"
        + " (linked as a UTC time, last seen as a UTC date, '-' when unknown).",
        subcommands = {DevicesApproveCommand.class, DevicesUnlinkCommand.class, DevicesSignOutCommand.class})
final class DevicesCommand extends ClientCommand {

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (ParleyClient client = connected()) {
            for (DeviceInfo device : client.devices()) {
                out.println(device.id() + "\t" + Terminal.safe(device.name()) + "\t" + Instant.ofEpochMilli(device.linkedAt())
                        + "\t" + (device.lastSeen() == null ? "-" : LocalDate.ofInstant(Instant.ofEpochMilli(device.lastSeen()), ZoneOffset.UTC))
                        + "\t" + (device.thisDevice() ? "this" : "other"));
            }
        }
        return 0;
    }
}
