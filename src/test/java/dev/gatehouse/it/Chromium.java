package dev.gatehouse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the page tests: headless Chromium driven by Selenium (the Debian packages chromium and
 * chromium-driver, which the build installs when missing), at a phone's width, since the pages must read there.
 */
final class Chromium {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Chromium() {
    }

    static ChromeDriver start() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        // where the build found them (pom.xml, the antrun execution "browser")
        options.setBinary(Optional.ofNullable(System.getenv("CHROMIUM")).orElse("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=412,915");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(Optional.ofNullable(System.getenv("CHROMEDRIVER")).orElse("/usr/bin/chromedriver")).toFile()).build();
        return new ChromeDriver(service, options);
    }

    /** The page as it is now, to target/screenshots/{name}.png. */
    static void screenshot(ChromeDriver browser, String name) {
        try {
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
