package dev.warden.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/** The last {@code keep} bytes of a stream (starting at a line start when possible) and the number of lines before them. */
record StreamTail(byte[] bytes, long droppedLines) {
    private static final int BLOCK = 1 << 20;

    static StreamTail read(InputStream in, int keep) throws IOException {
        ArrayDeque<byte[]> blocks = new ArrayDeque<>();
        long kept = 0;
        long dropped = 0;
        boolean droppedAny = false;
        while (true) {
            byte[] b = in.readNBytes(BLOCK);
            if (b.length == 0) {
                break;
            }
            blocks.addLast(b);
            kept += b.length;
            while (kept - blocks.peekFirst().length >= keep) {
                byte[] first = blocks.removeFirst();
                kept -= first.length;
                dropped += Bytes.newlines(first, 0, first.length);
                droppedAny = true;
            }
        }
        byte[] all = new byte[(int) kept];
        int off = 0;
        for (byte[] b : blocks) {
            System.arraycopy(b, 0, all, off, b.length);
            off += b.length;
        }
        if (!droppedAny) {
            return new StreamTail(all, 0);
        }
        // skip the partial first line so numbering starts on a whole line
        int nl = 0;
        while (nl < all.length && all[nl] != '\n') {
            nl++;
        }
        if (nl >= all.length) {
            return new StreamTail(all, dropped);
        }
        return new StreamTail(java.util.Arrays.copyOfRange(all, nl + 1, all.length), dropped + 1);
    }
}
