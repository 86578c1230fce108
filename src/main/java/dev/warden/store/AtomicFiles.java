package dev.warden.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every file Warden writes goes through here: a temp file in the same directory, fsync,
 * rename over the target, fsync of the directory. A reader sees the old file or the new one,
 * never half of either, even across a power cut or a kill -9.
 */
public final class AtomicFiles {
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong TEMP_SEQ = new AtomicLong();

    private AtomicFiles() {}

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] content) {
        write(target, content, true);
    }

    /**
     * Atomic (temp file and rename: a reader never sees half a file) but not synced to disk: for files of a set
     * whose last file is written with {@link #write} as the commit point (an evidence bundle and its manifest).
     */
    public static void writeUnsynced(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8), false);
    }

    private static void write(Path target, byte[] content, boolean sync) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = createTemp(dir, "." + target.getFileName() + ".");
            keepPermissions(target, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (sync) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the filesystem at " + dir + " cannot rename atomically", e);
            }
            tmp = null;
            if (sync) {
                fsyncDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp file is ours and harmless; health --fix removes leftovers
                }
            }
        }
    }

    /**
     * A new empty file `PREFIX<pid>-<n>.tmp` in dir, readable by its owner only until its permissions are set.
     * Files.createTempFile names its files from SecureRandom, whose seeding cost ~7 ms of every fresh `warden run`
     * before its job started; the pid and a counter are unique among live writers, and O_EXCL moves past a leftover
     * of a dead process that had the same pid.
     */
    static Path createTemp(Path dir, String prefix) throws IOException {
        for (int tries = 0; ; tries++) {
            Path tmp = dir.resolve(prefix + PID + "-" + TEMP_SEQ.incrementAndGet() + ".tmp");
            try {
                try {
                    Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))).close();
                } catch (UnsupportedOperationException notPosix) {
                    Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                }
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (tries >= 1000) {
                    throw e;
                }
            }
        }
    }

    /**
     * Appends one whole line (journal files such as events.jsonl) with a single write(2) on an O_APPEND file: a
     * reader sees whole lines only. Not fsynced per line (the restart path must stay in milliseconds); the store
     * holds the same events, and {@link #sync} makes a journal durable at the end of a run.
     */
    public static void appendLine(Path target, String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + target + ": " + describe(e), e);
        }
    }

    /** A replaced file keeps its mode; a new one gets rw-r--r-- (the temp file alone would stay rw-------). */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            Set<PosixFilePermission> perms = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX filesystem: its default stands
        }
    }

    public static void sync(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(false);
        } catch (IOException ignored) {
            // nothing more to do: the store has the same events
        }
    }

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some filesystems refuse fsync on a directory; the rename is still atomic there
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return m == null ? kind : kind + " " + m;
    }
}
