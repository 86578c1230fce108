package dev.warden.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.UserError;
import dev.warden.event.PlainJson;
import dev.warden.store.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** warden.lock: an {@link EnvSnapshot} as sorted, indented JSON, written atomically. */
public final class EnvLockFile {
    /** Only `warden env lock` writes: the mapper is built there, not by every drift check that reads. */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    private EnvLockFile() {}

    public static void write(Path file, EnvSnapshot snapshot) {
        try {
            AtomicFiles.write(file, (Writer.JSON.writeValueAsString(snapshot) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Read with jackson-core's streaming parser: the drift check reads the lock at every `warden run`, and building
     * the ObjectMapper for records took ~0.1 s of a preflight. Unknown keys are ignored, as databind was told to.
     */
    public static EnvSnapshot read(Path file) {
        try {
            Map<String, Object> m = PlainJson.readObject(Files.readString(file)).orElseThrow(() -> new Malformed("not a JSON object"));
            java.util.TreeMap<String, String> packages = new java.util.TreeMap<>();
            Object listed = m.get("packages");
            if (listed instanceof Map<?, ?> pk) {
                for (Map.Entry<?, ?> e : pk.entrySet()) {
                    packages.put(e.getKey().toString(), scalar(e.getValue(), "packages." + e.getKey()));
                }
            } else if (listed != null) {
                throw new Malformed("packages is not an object");
            }
            Object version = m.get("lock_version");
            if (version != null && !(version instanceof Number)) {
                throw new Malformed("lock_version is not a number");
            }
            return new EnvSnapshot(version == null ? 0 : ((Number) version).intValue(), scalar(m.get("captured_at"), "captured_at"),
                    scalar(m.get("python"), "python"), scalar(m.get("python_version"), "python_version"),
                    scalar(m.get("torch"), "torch"), scalar(m.get("torch_cuda"), "torch_cuda"), scalar(m.get("torch_hip"), "torch_hip"),
                    scalar(m.get("driver"), "driver"), scalar(m.get("nvcc"), "nvcc"), packages);
        } catch (Malformed e) {
            throw new UserError(file + " is not a warden.lock (" + e.getMessage() + "); record it again with `warden env lock`",
                    UserError.CONFIG);
        } catch (IOException e) {
            throw new UserError(file + " is not a readable warden.lock (" + e.getClass().getSimpleName()
                    + "); record it again with `warden env lock`", UserError.CONFIG);
        }
    }

    /** A string, or a number or boolean as its text (as databind reads them into a String field); null stays null. */
    private static String scalar(Object v, String key) throws Malformed {
        if (v instanceof Map<?, ?> || v instanceof java.util.List<?>) {
            throw new Malformed(key + " is not a plain value");
        }
        return v == null ? null : v.toString();
    }

    /** JSON, but not the shape of a lock. */
    private static final class Malformed extends IOException {
        Malformed(String why) {
            super(why);
        }
    }
}
