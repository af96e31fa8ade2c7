package jp.kairan.server.gateway;

import java.util.Optional;
import jp.kairan.server.auth.ProofRequest;
import jp.kairan.server.auth.Sessions;
import jp.kairan.server.org.UserProfile;

/**
 * The two session checks a connection makes, as the gateway sees them: {@link Sessions} in the server, a stub in
 * the session handler's unit test (token signatures, devices and sessions are the auth feature's to test). Both
 * block (signature checks, cache misses read the database): call them on {@link GatewayServices#blocking()} only.
 */
interface SessionChecks {

    /** See {@link Sessions#authenticate}. */
    Sessions.Authenticated authenticate(String accessToken, ProofRequest proof);

    /** See {@link Sessions#current}. */
    Optional<UserProfile> current(long userId, long sessionId);

    static SessionChecks of(Sessions sessions) {
        return new SessionChecks() {
            @Override
            public Sessions.Authenticated authenticate(String accessToken, ProofRequest proof) {
                return sessions.authenticate(accessToken, proof);
            }

            @Override
            public Optional<UserProfile> current(long userId, long sessionId) {
                return sessions.current(userId, sessionId);
            }
        };
    }
}
