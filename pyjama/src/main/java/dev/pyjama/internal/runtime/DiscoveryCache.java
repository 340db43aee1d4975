package dev.pyjama.internal.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Remembers what a python executable said about itself, so that a JVM that starts the same
 * interpreter again does not run a subprocess to ask (it costs more than CPython's own start).
 *
 * <p>An entry is keyed by the executable's path and is valid while the executable (followed
 * through symlinks) and the {@code pyvenv.cfg} beside a virtual environment keep their size and
 * modification time, and the library still exists. Scripts (a pyenv shim, a wrapper) are never
 * cached: what they run depends on the environment. The file is
 * {@code $XDG_CACHE_HOME/pyjama/interpreters.properties} (or {@code ~/.cache/...}); any problem
 * with it only means asking the interpreter again. {@code -Dpyjama.discoveryCache=false} turns it off.
 */
final class DiscoveryCache {

    private DiscoveryCache() {}

    private static Path file() {
        if ("false".equals(System.getProperty("pyjama.discoveryCache"))) {
            return null;
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path dir = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home == null ? null : Path.of(home, ".cache");
        return dir == null ? null : dir.resolve("pyjama").resolve("interpreters.properties");
    }

    /** The fingerprint an entry must match: the executable's and pyvenv.cfg's size and mtime. */
    private static String fingerprint(Path exe) throws IOException {
        if (isScript(exe)) {
            return null;
        }
        Path real = exe.toRealPath();
        StringBuilder sb = new StringBuilder().append(real).append('|').append(Files.size(real)).append('|')
                .append(Files.getLastModifiedTime(real).toMillis());
        Path parent = exe.toAbsolutePath().getParent();
        for (Path cfg = parent == null ? null : parent.resolveSibling("pyvenv.cfg"); cfg != null; cfg = null) {
            if (Files.isRegularFile(cfg)) {
                sb.append('|').append(Files.size(cfg)).append('|').append(Files.getLastModifiedTime(cfg).toMillis());
            }
        }
        return sb.toString();
    }

    private static boolean isScript(Path exe) throws IOException {
        try (InputStream in = Files.newInputStream(exe)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == '#' && head[1] == '!';
        }
    }

    static Installation lookup(String source, Path exe) {
        Path f = file();
        if (f == null || !Files.isRegularFile(f)) {
            return null;
        }
        try {
            String print = fingerprint(exe);
            if (print == null) {
                return null;
            }
            Properties p = load(f);
            String entry = p.getProperty(exe.toAbsolutePath().toString());
            if (entry == null) {
                return null;
            }
            String[] parts = entry.split("\t");
            if (parts.length != 6 || !parts[0].equals(print)) {
                return null;
            }
            Path library = Path.of(parts[2]);
            if (!Files.isRegularFile(library)) {
                return null;
            }
            String[] version = parts[3].split("\\.");
            return new Installation(source, parts[1].isEmpty() ? null : Path.of(parts[1]), library, parts[3],
                    Integer.parseInt(version[0]), Integer.parseInt(version[1]), Boolean.parseBoolean(parts[4]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void store(Path exe, Installation found) {
        Path f = file();
        if (f == null) {
            return;
        }
        try {
            String print = fingerprint(exe);
            if (print == null) {
                return;
            }
            Files.createDirectories(f.getParent());
            Properties p = Files.isRegularFile(f) ? load(f) : new Properties();
            p.setProperty(exe.toAbsolutePath().toString(), String.join("\t", print,
                    found.executable() == null ? "" : found.executable().toString(), found.library().toString(),
                    found.version(), Boolean.toString(found.freeThreaded()), "1"));
            Path tmp = Files.createTempFile(f.getParent(), "interpreters", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "pyjama: what python executables said about themselves (safe to delete)");
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // A cache that cannot be written only costs the next start a subprocess.
        }
    }

    private static Properties load(Path f) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        return p;
    }
}
