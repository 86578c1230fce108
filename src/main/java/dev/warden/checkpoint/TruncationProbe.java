package dev.warden.checkpoint;

import dev.warden.event.PlainJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * Cheap proof that a file is cut short, from its own structure, reading a few KiB:
 * a zip archive (torch.save since 1.6, Lightning .ckpt, DeepSpeed .pt) ends with an end-of-central-directory
 * record; a safetensors file's header gives the exact size its data needs.
 * null means "no evidence of truncation" (including formats it does not know).
 */
final class TruncationProbe {
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int ZIP_LOCAL_SIGNATURE = 0x04034b50;
    private static final long MAX_SAFETENSORS_HEADER = 100L << 20;

    private TruncationProbe() {}

    static String truncated(Path file, long size) {
        String name = file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (name.endsWith(".safetensors")) {
                return safetensors(ch, size);
            }
            if (size >= 4 && readInt(ch, 0) == ZIP_LOCAL_SIGNATURE) {
                return zip(ch, size);
            }
            return null;
        } catch (IOException e) {
            return null; // unreadable now: the caller's listing or verify reports it
        }
    }

    /** True when the file is a zip archive whose end record is in place: torch.save finished writing it. */
    static boolean wholeZip(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            return size >= 22 && readInt(ch, 0) == ZIP_LOCAL_SIGNATURE && zip(ch, size) == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String zip(FileChannel ch, long size) throws IOException {
        int tail = (int) Math.min(size, 22 + 65535);
        ByteBuffer b = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, size - tail);
        for (int i = tail - 22; i >= 0; i--) {
            if (b.getInt(i) == EOCD_SIGNATURE) {
                return null;
            }
        }
        return "zip archive without its end record (cut short while saving?)";
    }

    private static String safetensors(FileChannel ch, long size) throws IOException {
        if (size < 8) {
            return "safetensors file of " + size + " bytes has no header";
        }
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, h, 0);
        long headerLen = h.getLong(0);
        if (headerLen <= 0 || headerLen > MAX_SAFETENSORS_HEADER) {
            return null; // not a header we understand: no claim
        }
        if (size < 8 + headerLen) {
            return "safetensors header says " + (8 + headerLen) + "+ bytes, file has " + size;
        }
        ByteBuffer json = ByteBuffer.allocate((int) headerLen);
        readFully(ch, json, 8);
        long end = 0;
        try {
            Optional<Map<String, Object>> root = PlainJson.readObject(new String(json.array(), java.nio.charset.StandardCharsets.UTF_8));
            if (root.isEmpty()) {
                return null;
            }
            for (Object tensor : root.get().values()) {
                if (tensor instanceof Map<?, ?> t && t.get("data_offsets") instanceof List<?> offsets && offsets.size() == 2
                        && offsets.get(1) instanceof Number last) {
                    end = Math.max(end, last.longValue());
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        long expected = 8 + headerLen + end;
        return size < expected ? "safetensors header says " + expected + " bytes, file has " + size : null;
    }

    private static int readInt(FileChannel ch, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, pos);
        return b.getInt(0);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("short read");
            }
        }
    }
}
