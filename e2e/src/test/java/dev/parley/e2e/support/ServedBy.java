package dev.parley.e2e.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Supplier;

/**
 * Names what serves a {@link BrowserTest} class instead of one {@link ServerProcess}: the
 * supplier (instantiated through its no-argument constructor) starts it before the class's first
 * test; it is closed after its last. A subclass of a test class annotated so runs the same test
 * methods against the other server.
 */
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ServedBy {

    Class<? extends Supplier<? extends ChatServer>> value();
}
