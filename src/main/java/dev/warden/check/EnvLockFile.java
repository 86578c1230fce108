package dev.warden.check;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.UserError;
import dev.warden.store.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** warden.lock: an {@link EnvSnapshot} as sorted, indented JSON, written atomically. */
public final class EnvLockFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EnvLockFile() {}

    public static void write(Path file, EnvSnapshot snapshot) {
        try {
            AtomicFiles.write(file, (JSON.writeValueAsString(snapshot) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EnvSnapshot read(Path file) {
        try {
            return JSON.readValue(file.toFile(), EnvSnapshot.class);
        } catch (IOException e) {
            throw new UserError(file + " is not a readable warden.lock (" + e.getClass().getSimpleName()
                    + "); record it again with `warden env lock`", UserError.CONFIG);
        }
    }
}
