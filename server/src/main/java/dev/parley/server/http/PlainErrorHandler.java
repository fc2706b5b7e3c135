package dev.parley.server.http;

import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error answers (a malformed URI, a bad request line: answered before any of Parley's
 * routes run) as short plain text with the same {@link SecurityHeaders} as every other
 * response, instead of Jetty's HTML page without them.
 */
public final class PlainErrorHandler extends ErrorHandler {

    public PlainErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowOrigin(false);
        setDefaultResponseMimeType("text/plain");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SecurityHeaders.HEADERS.forEach((name, value) -> response.getHeaders().put(name, value));
        return super.handle(request, response, callback);
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<Charset> charsets, int code, String message, Throwable cause)
            throws java.io.IOException {
        return super.generateAcceptableResponse(request, response, callback, "text/plain", charsets, code, message, null);
    }
}
