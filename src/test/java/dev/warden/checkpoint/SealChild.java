package dev.warden.checkpoint;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Run in its own JVM by {@link KillDuringSealTest}: seals a checkpoint, printing each phase, and (when asked)
 * stops at one phase so the test can kill -9 it exactly there. Args: DIR ALGORITHM PAUSE_AT (or "none").
 */
public final class SealChild {
    private SealChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Algorithm alg = Algorithm.parse(args[1]);
        String pauseAt = args[2];
        CountDownLatch never = new CountDownLatch(1);
        Sealer.Listener listener = phase -> {
            System.out.println(phase);
            System.out.flush();
            if (phase.equals(pauseAt)) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Progress progress = new Progress() {
            private boolean said;

            public void start(String label, long total) {}

            public synchronized void advance(long bytes) {
                if (!said) {
                    said = true;
                    listener.phase("hashing");
                }
            }

            public void finish() {}
        };
        Sealer.seal(dir, alg, Fingerprints.NONE, Sealer.Options.defaults().withThreads(1).withListener(listener).withProgress(progress));
        System.out.println("done");
    }
}
