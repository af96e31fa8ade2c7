package jp.kairan.server.auth;

import jp.kairan.protocol.api.LoginStep;
import jp.kairan.protocol.api.Me;
import jp.kairan.server.device.DeviceState;
import jp.kairan.server.error.KairanException;

/**
 * What a sign-in step's transaction recorded, acted on after the commit: the next step goes to the client, a
 * session is signed (never inside the transaction), a refusal is thrown (the counters and audit events stay).
 */
sealed interface SignInOutcome {

    /** The sign-in goes on with {@code step}. */
    record Next(LoginStep step) implements SignInOutcome {
    }

    /** Signed in on an approved device from {@code ip}: the access token is still to be signed. */
    record SignedIn(long userId, DeviceState device, RefreshTokens.Issued refresh, Me me, String ip) implements SignInOutcome {
    }

    /** Refused after the transaction recorded why. */
    record Refused(KairanException error) implements SignInOutcome {
    }
}
