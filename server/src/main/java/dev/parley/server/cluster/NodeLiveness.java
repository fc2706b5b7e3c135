package dev.parley.server.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This node's heartbeat, and the reaping of nodes whose heartbeat lapsed. A node renews
 * {@code parley:node:{id}} every {@link #HEARTBEAT} with a time to live of {@link #TTL}; any node
 * that finds another's heartbeat gone removes that node's presence entries and socket keys
 * ({@link ClusterScripts#REAP}), so the accounts it held go offline within {@link #TTL} plus one
 * heartbeat of its death. The heartbeat's value is a random token per process: a node that
 * finds another token under its own id is not alone with it.
 */
final class NodeLiveness {

    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String node;
    private final String token = UUID.randomUUID().toString();
    private final RedisAsyncCommands<String, String> redis;

    NodeLiveness(String node, RedisAsyncCommands<String, String> redis) {
        this.node = node;
        this.redis = redis;
    }

    /**
     * Takes this node's id. A heartbeat already under it is a crashed node of the same id (or a
     * running one): its time to live is waited out, then whatever it left is reaped. Throws if
     * the id stays taken, i.e. another running node renews it.
     */
    void claim() {
        long deadline = System.nanoTime() + TTL.plus(HEARTBEAT).plus(HEARTBEAT).toNanos();
        while (true) {
            reap(List.of(node));
            if ("OK".equals(await(redis.set(RedisNames.heartbeat(node), token, SetArgs.Builder.nx().px(TTL))))) {
                await(redis.sadd(RedisNames.NODES, node));
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another running node uses --node-id " + node + "; give each node its own id");
            }
            sleep(HEARTBEAT);
        }
    }

    /**
     * Renews the heartbeat; true when it had lapsed (Redis lost it, or other nodes found this one
     * dead and reaped what it registered): the caller then registers everything again.
     */
    boolean beat() {
        String previous = await(redis.setGet(RedisNames.heartbeat(node), token, SetArgs.Builder.px(TTL)));
        await(redis.sadd(RedisNames.NODES, node));
        if (previous != null && !previous.equals(token)) {
            RedisCluster.log.error("cluster: another process renews the heartbeat of node id {}; each node needs its own "
                    + "--node-id", node);
        }
        return previous == null;
    }

    /** Reaps every registered node whose heartbeat is gone; how many. */
    long reapDead() {
        return reap(List.of());
    }

    /** Leaves: the heartbeat goes, then what this node registered (its accounts' last devices go offline). */
    void release() {
        await(redis.del(RedisNames.heartbeat(node)));
        reap(List.of(node));
    }

    private long reap(List<String> nodes) {
        List<String> args = new ArrayList<>(List.of(RedisNames.EVENTS, BusCodec.PRESENCE_PREFIX));
        args.addAll(nodes);
        Long reaped = await(redis.<Long>eval(ClusterScripts.REAP, ScriptOutputType.INTEGER,
                new String[] {RedisNames.NODES, RedisNames.ONLINE}, args.toArray(String[]::new)));
        return reaped == null ? 0 : reaped;
    }

    /** The answer of a command, waited for at most {@link #WAIT}; a failure or time-out is thrown. */
    static <T> T await(CompletionStage<T> answer) {
        return await(answer, WAIT);
    }

    /** The answer, waited for at most {@code wait}; a failure or time-out is thrown. */
    static <T> T await(CompletionStage<T> answer, Duration wait) {
        try {
            return answer.toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis did not answer within " + wait, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
