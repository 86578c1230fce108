package dev.warden.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** What the file's first bytes say it is: JSON Lines, gzip'd JSON Lines, or something Warden does not read. */
sealed interface Container {

    /** Readable text: plain, or gzip (detected by magic bytes, whatever the file name says). */
    record Lines(boolean gzip) implements Container {}

    /** A format Warden does not read, with the command that converts it. */
    record Other(String what, String fix) implements Container {}

    static Container sniff(byte[] head, int n, Path file) {
        String f = Shell.quote(file.toString());
        if (n >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return new Lines(true);
        }
        if (starts(head, n, 0xFF, 0xFE) || starts(head, n, 0xFE, 0xFF)) {
            // PowerShell 5's `>` and Out-File write UTF-16 with a byte-order mark.
            return new Other("UTF-16 text (byte-order mark " + String.format("%02X %02X", head[0] & 0xFF, head[1] & 0xFF)
                    + "); JSON Lines must be UTF-8", "convert it: iconv -f UTF-16 -t UTF-8 " + f + " > " + f + ".utf8");
        }
        if (starts(head, n, 'P', 'A', 'R', '1')) {
            // Parquet needs a reader (parquet-mr or Arrow) that weighs more than the rest of Warden together.
            return new Other("a Parquet file (magic PAR1); Warden checks JSON Lines",
                    "convert it: python3 -c \"import pandas as p; p.read_parquet('" + file + "').to_json('"
                            + file + ".jsonl', orient='records', lines=True, force_ascii=False)\"");
        }
        if (starts(head, n, 'P', 'K', 3, 4)) {
            return new Other("a zip archive", "unzip it and check the .jsonl inside: unzip " + f);
        }
        if (starts(head, n, 0x28, 0xB5, 0x2F, 0xFD)) {
            return new Other("zstd-compressed", "decompress it first: zstd -d " + f);
        }
        if (starts(head, n, 'B', 'Z', 'h')) {
            return new Other("bzip2-compressed", "decompress it first: bunzip2 -k " + f);
        }
        if (starts(head, n, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            return new Other("xz-compressed", "decompress it first: xz -dk " + f);
        }
        if (starts(head, n, 'A', 'R', 'R', 'O', 'W', '1')) {
            return new Other("an Arrow file; Warden checks JSON Lines",
                    "export JSON Lines: python3 -c \"import datasets as d; d.Dataset.from_file('" + file
                            + "').to_json('" + file + ".jsonl')\"");
        }
        return new Lines(false);
    }

    private static boolean starts(byte[] head, int n, int... magic) {
        if (n < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Opens the file, sniffs it, and returns the stream of its text (decompressed when gzip'd). */
    static Opened open(Path file) throws IOException {
        PushbackInputStream in = new PushbackInputStream(Files.newInputStream(file), 8);
        try {
            byte[] head = in.readNBytes(8);
            in.unread(head);
            Container c = sniff(head, head.length, file);
            InputStream text = c instanceof Lines l && l.gzip() ? new GZIPInputStream(in, 1 << 16) : in;
            return new Opened(c, text);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    record Opened(Container container, InputStream text) implements java.io.Closeable {
        @Override
        public void close() throws IOException {
            text.close();
        }
    }
}
