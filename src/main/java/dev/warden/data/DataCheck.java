package dev.warden.data;

import dev.warden.UserError;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipException;

/**
 * Checks a JSONL dataset (plain or gzip'd) before a GPU is rented for it.
 *
 * <p>One streaming pass in bounded memory: this thread reads 1 MiB chunks of whole lines, worker threads
 * (one per core, at most 4) parse them into hashes and token counts, and this thread merges the results in
 * file order. Memory: about ten chunk buffers in flight (one grows only to hold a line longer than a chunk,
 * up to {@link #maxLineBytes()}; longer lines are skipped, never held) and hash tables capped at 35% of the
 * heap, past which duplicate and contradiction counts become labelled estimates.
 */
public final class DataCheck {
    static final int CHUNK = 1 << 20;
    private static final long HEAD_BYTES = 4L << 20;

    private DataCheck() {}

    /** Checks {@code file}. Throws UserError when the file or tokenizer cannot be used at all. */
    public static DataReport run(Path file, DataCheckOptions opts) {
        return run(file, opts, CHUNK, maxLineBytes());
    }

    /** The same with the chunk size and line cap chosen: tests use tiny ones to cross every boundary. */
    static DataReport run(Path file, DataCheckOptions opts, int chunkSize, int maxLine) {
        if (!Files.exists(file)) {
            throw new UserError("data file " + file + " does not exist; check the path (relative paths start at the current directory)");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("data file " + file + " is not a regular file; point it at the .jsonl or .jsonl.gz file");
        }
        if (!Files.isReadable(file)) {
            throw new UserError("data file " + file + " is not readable by this user; fix its permissions");
        }
        try {
            return check(file, opts, chunkSize, maxLine);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    private static DataReport check(Path file, DataCheckOptions opts, int chunkSize, int maxLine) throws IOException {
        long size = Files.size(file);
        ReportBuilder rb = new ReportBuilder(file, opts, size);
        if (size == 0) {
            return rb.notJsonl(new Container.Other("the file is empty (0 bytes)",
                    "make it again: the step that wrote it failed or was cut off"), 0);
        }
        try (TokenCounter counter = opts.tokenizer() == null ? TokenCounter.ESTIMATE : HfTokenCounter.load(opts.tokenizer());
             Container.Opened opened = Container.open(file)) {
            if (opened.container() instanceof Container.Other other) {
                return rb.notJsonl(other, 0);
            }
            boolean gzip = ((Container.Lines) opened.container()).gzip();
            ChunkReader reader = new ChunkReader(opened.text(), chunkSize, maxLine);
            ChunkReader.Piece first;
            try {
                first = reader.next();
            } catch (EOFException | ZipException e) {
                return rb.notJsonl(new Container.Other("a broken gzip stream: " + e.getMessage(),
                        "the file is cut off or corrupt (gzip -t tests it): copy or export it again"), reader.bytesRead());
            }
            if (first == null) {
                return rb.notJsonl(new Container.Other("no data: the gzip stream holds 0 bytes",
                        "make it again: the step that wrote it wrote nothing"), 0);
            }
            if (first instanceof ChunkReader.Lines l) {
                Container.Other notLines = TextSniff.check(l.buf(), l.len(), Shell.quote(file.toString()));
                if (notLines != null) {
                    return rb.notJsonl(notLines, reader.bytesRead());
                }
            }
            // Hold the first pieces (up to 4 MiB) until 100 records have shown their keys.
            List<ChunkReader.Piece> head = new ArrayList<>(List.of(first));
            FormatDetector detector = new FormatDetector();
            String headProblem = null;
            long held = 0;
            for (ChunkReader.Piece p = first; p != null; ) {
                if (p instanceof ChunkReader.Lines l) {
                    detector.feed(l.buf(), l.len());
                    held += l.len();
                }
                if (!detector.wantsMore() || held >= HEAD_BYTES) {
                    break;
                }
                try {
                    p = reader.next();
                } catch (EOFException | ZipException e) {
                    headProblem = e.getMessage();
                    break;
                }
                if (p != null) {
                    head.add(p);
                }
            }
            FormatDetector.Detected detected = detector.result();
            DataFormat format = opts.format() != null ? opts.format() : detected.format();
            Tally tally = new Tally(opts.maxTokens(), tableBytes());
            Pump pump = new Pump(reader, format, counter, tally, opts.sampleLines());
            pump.run(head, headProblem);
            return rb.build(tally, new ReportBuilder.Read(format, detected, counter, gzip, reader.bytesRead(),
                    pump.streamProblem, pump.stoppedEarly));
        }
    }

    /** The longest line read into memory: 16 MiB, or 1/32 of the heap when that is smaller (2 MiB at -Xmx64m). */
    static int maxLineBytes() {
        return (int) Math.max(CHUNK, Math.min(16L << 20, Runtime.getRuntime().maxMemory() / 32));
    }

    /** Memory for the duplicate and prompt tables: 35% of the heap, at most 1 GiB. */
    static long tableBytes() {
        return Math.max(4L << 20, Math.min(1L << 30, (long) (Runtime.getRuntime().maxMemory() * 0.35)));
    }

    /** Reader on this thread, parsers on a small pool, merge on this thread in file order. */
    private static final class Pump {
        private final ChunkReader reader;
        private final Tally tally;
        private final long sample;
        private final ThreadLocal<RecordParser> parsers;
        private final int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private final ArrayDeque<Future<ChunkResult>> inflight = new ArrayDeque<>();
        private long submittedLines;
        String streamProblem;
        /** The sample is full: read no more. */
        private boolean sampleFull;
        /** The sample is full and data was left unread. */
        boolean stoppedEarly;

        Pump(ChunkReader reader, DataFormat format, TokenCounter counter, Tally tally, long sample) {
            this.reader = reader;
            this.tally = tally;
            this.sample = sample;
            this.parsers = ThreadLocal.withInitial(() -> new RecordParser(format, counter));
        }

        /** Parses and merges the pieces already read, then the rest (unless the stream already broke). */
        void run(List<ChunkReader.Piece> head, String headProblem) throws IOException {
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "warden-data-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try {
                streamProblem = headProblem;
                int next = 0;
                ChunkReader.Piece piece = head.get(next++);
                while (piece != null) {
                    piece = cutToSample(piece);
                    submit(pool, piece);
                    while (inflight.size() > workers * 2) {
                        mergeNext();
                    }
                    if (sampleFull) {
                        stoppedEarly |= next < head.size() || reader.hasMore();
                        break;
                    }
                    if (next < head.size()) {
                        piece = head.get(next++);
                    } else if (streamProblem != null) {
                        break;
                    } else {
                        try {
                            piece = reader.next();
                        } catch (EOFException | ZipException e) {
                            streamProblem = e.getMessage();
                            break;
                        }
                    }
                }
                while (!inflight.isEmpty()) {
                    mergeNext();
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private void submit(ExecutorService pool, ChunkReader.Piece piece) {
            if (piece instanceof ChunkReader.Lines l) {
                inflight.add(pool.submit(() -> ChunkParser.parse(l.buf(), l.len(), parsers.get())));
            } else {
                inflight.add(CompletableFuture.completedFuture(ChunkResult.oversize(((ChunkReader.Oversize) piece).bytes())));
            }
        }

        /** With --sample, shortens the piece to the lines still wanted and notes when the sample is full. */
        private ChunkReader.Piece cutToSample(ChunkReader.Piece piece) {
            if (sample <= 0) {
                return piece;
            }
            long wanted = sample - submittedLines;
            if (piece instanceof ChunkReader.Lines l) {
                int pos = 0;
                long lines = 0;
                while (pos < l.len() && lines < wanted) {
                    int nl = Bytes.indexOfNewline(l.buf(), pos, l.len());
                    pos = nl < 0 ? l.len() : nl + 1;
                    lines++;
                }
                submittedLines += lines;
                if (submittedLines >= sample) {
                    sampleFull = true;
                    stoppedEarly = pos < l.len();
                    return new ChunkReader.Lines(l.buf(), pos);
                }
                return piece;
            }
            submittedLines++;
            sampleFull = submittedLines >= sample;
            return piece;
        }

        private void mergeNext() {
            ChunkResult r;
            try {
                r = inflight.poll().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking data", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
            tally.merge(r);
            reader.recycle(r.buffer);
        }
    }
}
