package dev.parley.e2e.support;

import dev.parley.web.testing.BrowserSession;
import dev.parley.web.testing.Chromium;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A {@link BrowserSession} whose server is chosen per test class: what the class's
 * {@link ServedBy} names, else one {@link ServerProcess}.
 */
public final class ChatSession implements BeforeAllCallback, AfterAllCallback {

    private BrowserSession<ChatServer> session;

    @Override
    public void beforeAll(ExtensionContext context) {
        Supplier<? extends ChatServer> start = serverOf(context.getRequiredTestClass());
        session = new BrowserSession<>(start::get);
        session.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            session.afterAll(context);
        } finally {
            session = null;
        }
    }

    /** The server of the running test class; null outside one. */
    public ChatServer server() {
        return session == null ? null : session.server();
    }

    public Chromium chromium() {
        return session.chromium();
    }

    private static Supplier<? extends ChatServer> serverOf(Class<?> testClass) {
        var servedBy = AnnotationSupport.findAnnotation(testClass, ServedBy.class);
        if (servedBy.isEmpty()) {
            return ServerProcess::start;
        }
        try {
            return servedBy.get().value().getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
            throw new IllegalStateException("cannot create " + servedBy.get().value().getName() + " (a public no-argument constructor is needed)", e);
        }
    }
}
