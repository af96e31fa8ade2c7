package jp.kairan.server.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.config.AuthConfig;
import jp.kairan.server.device.DeviceService;
import jp.kairan.server.mail.MailSender;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.store.Database;

/**
 * Wires the sign-in feature: one instance per server. {@link #start()} loads (or makes) the token signing keys.
 *
 * @see LoginService
 * @see Sessions
 * @see AccountService
 * @see TokenService
 */
public final class AuthServices {
    private final LoginService login;
    private final Sessions sessions;
    private final AccountService accounts;
    private final TokenService tokens;
    private final DeviceService devices;
    private final DpopVerifier dpop;

    /**
     * @param mail        the mail sender; {@code mailEnabled} false means e-mailed codes are not offered
     * @param metrics     registry for sign-in counters, may be null
     * @param dataDir     where the operator's setup password file lives
     * @param devices     the devices, made with {@link #deviceSessions} as their session revoker
     */
    public AuthServices(Database db, Clock clock, AuthConfig config, OrgService orgs, AuditService audit,
                        MailSender mail, boolean mailEnabled, MeterRegistry metrics, Path dataDir, DeviceService devices) {
        SecureRandom random = new SecureRandom();
        Secrets secrets = new Secrets(random);
        PasswordHasher hasher = new PasswordHasher(
                new Argon2Params(config.argon2MemoryKib(), config.argon2Iterations(), config.argon2Parallelism()), random);
        Credentials credentials = new Credentials(clock, hasher);
        RefreshTokens refreshTokens = new RefreshTokens(clock, secrets, config.refreshTokenTtl());
        this.tokens = new TokenService(db, clock, config);
        LoginThrottle throttle = new LoginThrottle(config.ipAttemptsPerMinute(), config.lockoutThreshold(),
                config.lockoutDuration(), Ticker.systemTicker());
        this.dpop = new DpopVerifier(clock);
        this.devices = devices;
        this.login = new LoginService(db, clock, config, orgs, credentials, secrets, throttle, refreshTokens, tokens,
                audit, mail, mailEnabled, metrics, dataDir.resolve(AccountService.SETUP_PASSWORD_FILE), devices, dpop);
        this.sessions = new Sessions(db, config, orgs, credentials, refreshTokens, tokens, audit, devices, dpop);
        devices.addListener(sessions::deviceRevoked);
        this.accounts = new AccountService(clock, db, orgs, credentials, secrets, refreshTokens, sessions, login, audit,
                config.passwordMinLength());
    }

    /**
     * What a device revocation calls in its transaction to end the device's sign-in sessions (its refresh token
     * families), for {@link DeviceService}, which is made before this.
     */
    public static DeviceService.SessionRevoker deviceSessions(Clock clock) {
        RefreshTokenRepository refreshTokens = new RefreshTokenRepository();
        return (tx, deviceId) -> refreshTokens.revokeDevice(tx, deviceId, clock.instant());
    }

    /** The entity classes of this feature, for the session factory. */
    public static List<Class<?>> entityClasses() {
        List<Class<?>> all = new ArrayList<>(CredentialRepository.entityClasses());
        all.add(LoginTicketEntity.class);
        all.add(RefreshTokenEntity.class);
        all.add(SigningKeyEntity.class);
        return all;
    }

    /** Loads or creates the signing keys. Blocks. */
    public void start() {
        tokens.start();
    }

    public LoginService login() {
        return login;
    }

    public Sessions sessions() {
        return sessions;
    }

    public AccountService accounts() {
        return accounts;
    }

    public TokenService tokens() {
        return tokens;
    }

    public DeviceService devices() {
        return devices;
    }

    public DpopVerifier dpop() {
        return dpop;
    }
}
