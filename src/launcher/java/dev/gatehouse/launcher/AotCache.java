package dev.gatehouse.launcher;

import dev.gatehouse.platform.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * JDK 25's AOT cache for the run command (JEP 483, 515): a start without one records what Payara loads and
 * links and which methods run hot; when that server has stopped, the cache is made from the record (about
 * 10 s, once). Later starts map it and are ready about 30 % sooner (bench/journal/2026-12-06-issue-17.md,
 * "Start-up"). A cache only serves the JDK, the JVM options and the Payara jar that made it, so these name
 * its file, and a change of any of them makes a new one.
 */
final class AotCache {

    private final List<String> javaCommand;
    private final Path cache;
    private final Path record;
    private final boolean recording;

    private AotCache(List<String> javaCommand, Path cache) {
        this.javaCommand = List.copyOf(javaCommand);
        this.cache = cache;
        this.record = Path.of(cache + ".config");
        this.recording = !Files.exists(cache);
    }

    /**
     * For the server started with this java command (the JVM and its options, up to -jar); empty when the
     * settings turn it off. The cache lives in the data directory by default: the run command's build starts
     * with a clean target/.
     */
    static Optional<AotCache> of(List<String> javaCommand, Path dataDir) throws IOException {
        String dir = Settings.get("gatehouse.aot-cache.dir");
        if ("off".equals(dir)) {
            return Optional.empty();
        }
        String madeBy = String.join(" ", javaCommand) + Files.readString(Path.of(DevServer.JVM_OPTIONS))
                + System.getProperty("java.vm.version") + Files.size(DevServer.PAYARA_MICRO);
        Path cache = (dir == null ? dataDir.resolve("aot") : Path.of(dir).toAbsolutePath())
                .resolve(Integer.toHexString(madeBy.hashCode()) + ".aot");
        Files.createDirectories(cache.getParent());
        return Optional.of(new AotCache(javaCommand, cache));
    }

    List<String> startOptions() {
        if (!recording) {
            System.out.println("AOT cache: " + cache);
            return List.of("-XX:AOTCache=" + cache);
        }
        System.out.println("AOT cache: none yet; this run records what the server loads, and the cache is made when it stops");
        return List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + record);
    }

    /** After the recording server has exited: makes the cache from its record. */
    void createIfRecorded() {
        if (!recording || !Files.exists(record)) {
            return;
        }
        List<String> create = new ArrayList<>(javaCommand);
        create.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + record, "-XX:AOTCache=" + cache,
                "-jar", DevServer.PAYARA_MICRO.toString()));
        System.out.println("Making the AOT cache " + cache + " (once; later starts are faster)");
        try {
            Process maker = new ProcessBuilder(create).inheritIO().start();
            if (!maker.waitFor(3, TimeUnit.MINUTES)) {
                maker.destroyForcibly();
            }
            Files.deleteIfExists(record);
            if (maker.exitValue() != 0) {
                Files.deleteIfExists(cache); // a half-made cache would be tried at every start
            }
        } catch (IOException | InterruptedException | IllegalThreadStateException e) {
            System.err.println("AOT cache not made: " + e);
        }
    }
}
