package io.frameflow.viewer;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The optional shared secret. A request carries it as {@code ?token=}, header {@code
 * X-FrameFlow-Token}, {@code Authorization: Bearer}, or the cookie the page gets when opened with a
 * valid {@code ?token=} (so images and scripts need not repeat it).
 */
final class AccessToken {

    static final String HEADER = "X-FrameFlow-Token";
    static final String COOKIE = "frameflow_token";

    private final byte[] expected;

    /**
     * @param token null when no token is required
     */
    AccessToken(String token) {
        this.expected = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return expected != null;
    }

    /** True when no token is required or the request carries the right one. */
    boolean allows(Exchange ex) {
        if (expected == null) {
            return true;
        }
        return matches(fromQuery(ex.getRequestURI().getRawQuery()))
                || matches(ex.getRequestHeaders().getFirst(HEADER))
                || matches(bearer(ex.getRequestHeaders().getFirst("Authorization")))
                || matches(fromCookies(ex.getRequestHeaders().get("Cookie")));
    }

    /**
     * True when a token is required and the request carries it in a header: what changes settings
     * asks for, since a browser sends cookies along with requests other sites make it send.
     */
    boolean inHeader(Exchange ex) {
        return expected != null
                && (matches(ex.getRequestHeaders().getFirst(HEADER))
                        || matches(bearer(ex.getRequestHeaders().getFirst("Authorization"))));
    }

    /** True when the token came in the query string (the page then sets the cookie). */
    boolean inQuery(Exchange ex) {
        return expected != null && matches(fromQuery(ex.getRequestURI().getRawQuery()));
    }

    String cookieHeader() {
        return COOKIE
                + "="
                + new String(expected, StandardCharsets.UTF_8)
                + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** Cookies carry only cookie-safe tokens; others must use the query or a header. */
    boolean cookieSafe() {
        return expected != null
                && new String(expected, StandardCharsets.UTF_8).matches("[A-Za-z0-9._~-]+");
    }

    private boolean matches(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8));
    }

    static String fromQuery(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("token=")) {
                try {
                    return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String bearer(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    private static String fromCookies(List<String> headers) {
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }
}
