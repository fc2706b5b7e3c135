package dev.parley.server.gateway;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@link VarHandle}s on fields of the objects the server keeps one of per connection. Those
 * update their counters and flags through handles on plain volatile fields rather than through
 * {@code AtomicInteger}/{@code AtomicBoolean} objects, which cost 16–24 bytes and a reference
 * each, for every socket (docs/BENCHMARKS.md, "Leaner per-connection state").
 */
public final class FieldHandles {

    private FieldHandles() {
    }

    /** A handle on the field {@code name} of type {@code type} of {@code lookup}'s class; for a static initializer. */
    public static VarHandle of(MethodHandles.Lookup lookup, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
