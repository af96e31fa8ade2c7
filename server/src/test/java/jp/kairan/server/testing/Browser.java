package jp.kairan.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through the system ChromeDriver (Debian's {@code chromium} and
 * {@code chromium-driver}). Nothing is downloaded; if either is missing the test fails with the install
 * command. One browser profile per instance, so two instances are two independent users. Not thread-safe.
 */
public final class Browser implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;

    public Browser(String language) {
        String chromium = find("chromium", "chromium-browser")
                .orElseThrow(() -> new IllegalStateException("Chromium not found: apt-get install -y chromium chromium-driver"));
        String chromedriver = find("chromedriver")
                .orElseThrow(() -> new IllegalStateException("ChromeDriver not found: apt-get install -y chromium-driver"));
        try {
            profile = Files.createTempDirectory("kairan-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1280,900", "--lang=" + language, "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    private static Optional<String> find(String... names) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/lib/chromium";
        return Stream.of(names).flatMap(n -> Stream.of(path.split(File.pathSeparator)).map(d -> new File(d, n)))
                .filter(f -> f.isFile() && f.canExecute()).map(File::getAbsolutePath).findFirst();
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Waits until the element with this {@code data-testid} is visible and returns it. */
    public WebElement byTestId(String id) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(testId(id)));
    }

    public List<WebElement> allByTestId(String id) {
        return driver.findElements(testId(id));
    }

    public static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    public void type(String id, String text) {
        WebElement e = byTestId(id);
        e.clear();
        e.sendKeys(text);
    }

    public void click(String id) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(testId(id))).click();
    }

    /**
     * A first sign-in on the sign-in screen: initial password → new password → authenticator enrolment (the code
     * from {@code totpCode}). Returns the TOTP secret; the browser is then at the device step.
     */
    public byte[] firstSignIn(String loginId, String password, String newPassword,
                              java.util.function.Function<byte[], String> totpCode) {
        type("login-id", loginId);
        type("login-password", password);
        click("login-submit");
        type("new-password", newPassword);
        type("new-password-confirm", newPassword);
        click("password-submit");
        byTestId("totp-qr");
        byte[] secret = jp.kairan.server.auth.Base32.decode(byTestId("totp-secret").getText().replace(" ", ""));
        type("totp-code", totpCode.apply(secret));
        click("totp-submit");
        return secret;
    }

    /** A later sign-in on the sign-in screen: password, then the one-time password {@code code}. */
    public void signIn(String loginId, String password, String code) {
        type("login-id", loginId);
        type("login-password", password);
        click("login-submit");
        type("otp-code", code);
        click("otp-submit");
    }

    /** At the device step: registers this browser under {@code name}. */
    public void registerDevice(String name) {
        type("device-name", name);
        click("device-register-submit");
    }

    /** Waits until the element's text contains {@code text}. */
    public void waitForText(String id, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(testId(id), text));
    }

    /** Saves a PNG under target/screenshots for a person to look at. */
    public void screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary profile
        }
    }
}
