package dev.warden.checkpoint;

/** Bytes hashed so far, for a progress bar. Called from worker threads: implementations must be thread-safe. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void start(String label, long totalBytes) {}

        @Override
        public void advance(long bytes) {}

        @Override
        public void finish() {}
    };

    void start(String label, long totalBytes);

    void advance(long bytes);

    void finish();
}
