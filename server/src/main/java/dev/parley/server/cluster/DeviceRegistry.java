package dev.parley.server.cluster;

import dev.parley.server.cluster.RedisNames.Device;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node has registered in Redis for each device it holds: the socket key naming its
 * connection, the device's presence entry, its entry in the node's set, and the subscription to
 * the device's channel.
 *
 * <p>{@link OnlineUsers} is the truth; this follows it. A device's entry changes only inside
 * {@link ConcurrentHashMap#compute} for that device, which reads {@link OnlineUsers} again and
 * issues the commands that make Redis match what it read. Commands go out on one connection
 * in the order they are issued, so for each device Redis ends as the last reading found the
 * node, whatever the order in which a login and a departure of the same device reach here.
 */
final class DeviceRegistry {

    private static final Logger log = LoggerFactory.getLogger(DeviceRegistry.class);

    /** What this node registered for a device: which connection, under which owner value. */
    private record Registration(ClientConnection connection, String owner) {
    }

    private final String node;
    private final OnlineUsers online;
    private final RedisAsyncCommands<String, String> redis;
    private final RedisPubSubAsyncCommands<String, String> pubsub;
    private final Runnable failed;
    private final Map<Device, Registration> held = new ConcurrentHashMap<>();

    /** @param failed told when a command failed: Redis may not match this node until it registers again */
    DeviceRegistry(String node, OnlineUsers online, RedisAsyncCommands<String, String> redis,
                   RedisPubSubAsyncCommands<String, String> pubsub, Runnable failed) {
        this.node = node;
        this.online = online;
        this.redis = redis;
        this.pubsub = pubsub;
        this.failed = failed;
    }

    static Device device(ClientConnection connection) {
        return new Device(connection.username(), connection.device());
    }

    /**
     * After a login or a departure of {@code device} here: registers the connection that now
     * holds it (as its newest login: an older holder anywhere is replaced), or removes what was
     * registered when none does. Returns the subscription to the device's channel when this call
     * started one (the device is new on this node), else a completed future.
     */
    CompletableFuture<?> sync(Device device) {
        CompletableFuture<?>[] subscribed = {CompletableFuture.completedFuture(null)};
        held.compute(device, (key, old) -> {
            ClientConnection current = online.get(key.account(), key.device());
            if (current == null) {
                if (old != null) {
                    leave(key, old);
                    issue(() -> pubsub.unsubscribe(key.channel()), "unsubscribe");
                }
                return null;
            }
            if (old != null && old.connection() == current) {
                return old;
            }
            if (old == null) {
                subscribed[0] = issue(() -> pubsub.subscribe(key.channel()), "subscribe");
            }
            var registration = new Registration(current, owner(current));
            arrive(key, registration, "login");
            return registration;
        });
        return subscribed[0];
    }

    /**
     * Registers again everything this node holds, after Redis may have lost it (a restart) or a
     * reaper may have removed it (this node's heartbeat lapsed), and removes what Redis still
     * lists for this node ({@code listed}: the node's set of devices) that it no longer holds
     * (a departure while Redis was away). A device that another live node's connection holds
     * with a later login is yielded: {@code yield} gets this node's connection (on
     * {@code executor}), to be closed as replaced. Completes when every command has been answered.
     */
    CompletableFuture<Void> registerAll(Set<String> listed, Consumer<ClientConnection> yield, Executor executor) {
        Set<Device> devices = new HashSet<>(held.keySet());
        for (ClientConnection connection : online.devices()) {
            devices.add(device(connection));
        }
        for (String entry : listed) {
            Device device = Device.ofNodeEntry(entry);
            if (device != null) {
                devices.add(device);
            }
        }
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (Device device : devices) {
            held.compute(device, (key, old) -> {
                ClientConnection current = online.get(key.account(), key.device());
                if (current == null) {
                    // Registered by this node, by this process or (its socket key) any earlier one of the same id.
                    answers.add(leave(key, old == null ? new Registration(null, "") : old));
                    issue(() -> pubsub.unsubscribe(key.channel()), "unsubscribe");
                    return null;
                }
                var registration = old != null && old.connection() == current ? old : new Registration(current, owner(current));
                answers.add(issue(() -> pubsub.subscribe(key.channel()), "subscribe"));
                CompletableFuture<String> registered = arrive(key, registration, "resync");
                answers.add(registered);
                // Not among the answers waited for: the executor may be the one waiting.
                registered.thenAcceptAsync(holder -> {
                    if (holder != null) {
                        log.info("cluster: {}/{} is held by a later login on another node; closing this node's connection={}",
                                key.account(), key.device(), current.id());
                        yield.accept(current);
                    }
                }, executor);
                return registration;
            });
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
    }

    /** Whether {@code owner} (a socket key's value) names {@code connection} of this node. */
    boolean names(String owner, ClientConnection connection) {
        return owner.startsWith(node + "/" + connection.id() + "/");
    }

    private String owner(ClientConnection connection) {
        return node + "/" + connection.id() + "/" + System.currentTimeMillis();
    }

    private CompletableFuture<String> arrive(Device device, Registration registration, String mode) {
        return issue(() -> redis.<String>eval(ClusterScripts.ARRIVE, ScriptOutputType.VALUE,
                new String[] {device.socketKey(), device.presenceKey(), RedisNames.nodeDevices(node), RedisNames.ONLINE},
                registration.owner(), mode, node, device.presenceEntry(node), device.nodeEntry(), device.account(),
                device.channel(), RedisNames.EVENTS, BusCodec.PRESENCE_PREFIX), "register");
    }

    private CompletableFuture<Long> leave(Device device, Registration registration) {
        return issue(() -> redis.<Long>eval(ClusterScripts.LEAVE, ScriptOutputType.INTEGER,
                new String[] {device.socketKey(), device.presenceKey(), RedisNames.nodeDevices(node), RedisNames.ONLINE},
                registration.owner(), device.presenceEntry(node), device.nodeEntry(), device.account(), RedisNames.EVENTS,
                BusCodec.PRESENCE_PREFIX, node), "unregister");
    }

    /**
     * Sends a command; its answer, or its failure (Lettuce refuses at once while disconnected, or
     * when too many commands wait; a command may time out). Never throws: a failure is reported
     * ({@code failed}) and made up for by registering everything again. Logged at debug level.
     */
    private <T> CompletableFuture<T> issue(Supplier<? extends CompletionStage<T>> command, String what) {
        CompletableFuture<T> answer;
        try {
            answer = command.get().toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((value, failure) -> {
            if (failure != null) {
                log.debug("cluster: {} failed: {}", what, failure.toString());
                failed.run();
            }
        });
        return answer;
    }
}
