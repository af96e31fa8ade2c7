package jp.kairan.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.Headers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.DeviceRegistration;
import jp.kairan.protocol.api.LoginRequest;
import jp.kairan.protocol.api.OtpRequest;
import jp.kairan.protocol.api.PasswordChangeRequest;
import jp.kairan.protocol.api.TicketPasswordRequest;
import jp.kairan.protocol.api.TicketRequest;
import jp.kairan.protocol.api.TotpConfirmRequest;
import jp.kairan.protocol.api.TotpEnrolRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.auth.AuthServices;
import jp.kairan.server.auth.LoginService;

/**
 * Sign-in, refresh, sign-out and the signed-in user's own account. The refresh token travels only in the
 * {@value #REFRESH_COOKIE} cookie (HttpOnly, SameSite=Strict, path-limited); requests that use it must come from
 * our own origin when the browser says where they come from. Runs on Undertow worker threads; the sign-in services
 * open their own transactions.
 */
final class AuthEndpoints {
    static final String REFRESH_COOKIE = "kairan_refresh";
    static final String REFRESH_PATH = "/api/v1/auth";

    private final AuthServices auth;
    private final boolean secureCookies;
    private final Clock clock;

    AuthEndpoints(AuthServices auth, boolean secureCookies, Clock clock) {
        this.auth = auth;
        this.secureCookies = secureCookies;
        this.clock = clock;
    }

    void register(ApiRouter r) {
        LoginService login = auth.login();
        r.post("/api/v1/auth/login", req -> {
            LoginRequest body = req.body(LoginRequest.class);
            return step(req, login.login(body.loginId(), body.password(), req.origin(), req.proof()));
        });
        r.post("/api/v1/auth/otp", req -> {
            OtpRequest body = req.body(OtpRequest.class);
            return step(req, login.otp(body.ticket(), body.method(), body.code(), req.origin(), req.proof()));
        });
        r.post("/api/v1/auth/otp/email", req -> {
            login.mailOtp(req.body(TicketRequest.class).ticket(), req.origin());
            return null;
        });
        r.post("/api/v1/auth/password", req -> {
            TicketPasswordRequest body = req.body(TicketPasswordRequest.class);
            return step(req, login.changePassword(body.ticket(), body.newPassword(), req.origin(), req.proof()));
        });
        r.post("/api/v1/auth/totp/enrol", req -> login.beginTotp(req.body(TicketRequest.class).ticket(), req.origin()));
        r.post("/api/v1/auth/totp/confirm", req -> {
            TotpConfirmRequest body = req.body(TotpConfirmRequest.class);
            return step(req, login.confirmTotp(body.ticket(), body.code(), req.origin(), req.proof()));
        });
        r.post("/api/v1/auth/device", req -> {
            DeviceRegistration body = req.body(DeviceRegistration.class);
            return step(req, login.registerDevice(body.ticket(), body.name(), body.publicKey(), req.userAgent(), req.origin(),
                    req.proof()));
        });
        r.post("/api/v1/auth/device/wait", req -> step(req, login.waitForDevice(req.body(TicketRequest.class).ticket(),
                req.origin(), req.proof())));
        r.post("/api/v1/auth/refresh", req -> {
            requireSameOrigin(req.exchange());
            req.rawBody();
            try {
                LoginService.Result result = auth.sessions().refresh(req.cookie(REFRESH_COOKIE), req.proof(), req.origin());
                setRefreshCookie(req.exchange(), result.refreshToken(), result.refreshExpiresAt());
                return result.step().session();
            } catch (KairanException e) {
                if (e.code() != ErrorCode.DPOP_INVALID) {
                    // A refresh without the device's key changes nothing: the cookie stays for the real device.
                    clearRefreshCookie(req.exchange());
                }
                throw e;
            }
        });
        r.post("/api/v1/auth/logout", req -> {
            requireSameOrigin(req.exchange());
            req.rawBody();
            auth.sessions().logout(req.cookie(REFRESH_COOKIE), req.origin());
            clearRefreshCookie(req.exchange());
            return null;
        });
        r.get("/api/v1/me", req -> auth.accounts().me(req.principal()));
        r.post("/api/v1/me/password", req -> {
            PasswordChangeRequest body = req.body(PasswordChangeRequest.class);
            auth.accounts().changeOwnPassword(req.principal(), body.currentPassword(), body.newPassword(), req.origin());
            return null;
        });
        r.post("/api/v1/me/totp/enrol", req -> {
            TotpEnrolRequest body = req.body(TotpEnrolRequest.class);
            return auth.accounts().beginTotp(req.principal(), body.currentPassword());
        });
        r.post("/api/v1/me/totp/confirm", req -> {
            auth.accounts().confirmTotp(req.principal(), req.body(TotpConfirmRequest.class).code(), req.origin());
            return null;
        });
    }

    private Object step(ApiRequest req, LoginService.Result result) {
        if (result.refreshToken() != null) {
            setRefreshCookie(req.exchange(), result.refreshToken(), result.refreshExpiresAt());
        }
        return result.step();
    }

    private void setRefreshCookie(HttpServerExchange exchange, String token, Instant expiresAt) {
        CookieImpl c = new CookieImpl(REFRESH_COOKIE, token);
        c.setPath(REFRESH_PATH);
        c.setHttpOnly(true);
        c.setSecure(secureCookies);
        c.setSameSiteMode("Strict");
        c.setMaxAge((int) Math.max(0, Duration.between(clock.instant(), expiresAt).toSeconds()));
        exchange.setResponseCookie(c);
    }

    private void clearRefreshCookie(HttpServerExchange exchange) {
        CookieImpl c = new CookieImpl(REFRESH_COOKIE, "");
        c.setPath(REFRESH_PATH);
        c.setHttpOnly(true);
        c.setSecure(secureCookies);
        c.setSameSiteMode("Strict");
        c.setMaxAge(0);
        exchange.setResponseCookie(c);
    }

    /**
     * Cookie-authenticated calls must not come from another site: when the browser sends an Origin header, its
     * host must be the Host we were called by.
     */
    private static void requireSameOrigin(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null) {
            return;
        }
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        String originHost = origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        if (host == null || !originHost.equalsIgnoreCase(host)) {
            throw new KairanException(ErrorCode.FORBIDDEN, "cross-origin cookie request from " + origin);
        }
    }
}
