package dev.parley.server.http;

import java.util.Map;

/**
 * Response headers for every page and asset (docs/WEB-CLIENT.md, "Page security"): a strict
 * Content-Security-Policy (no inline script or style, sockets only to this origin, no framing,
 * Trusted Types with the single policy {@code parley-sw}, workers only from this origin), and
 * the usual hardening headers.
 */
public final class SecurityHeaders {

    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            // The service worker (/sw.js) that keeps the app shell for offline use.
            "worker-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "require-trusted-types-for 'script'",
            // One policy, made once by the page: it turns exactly '/sw.js' into the worker's
            // script URL (web/js/lib/service-worker.js); no HTML or script sink has a policy.
            "trusted-types parley-sw");

    public static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin",
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");

    private SecurityHeaders() {
    }
}
