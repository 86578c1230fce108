package dev.warden.store;

import java.time.Instant;

/** What does not change during a run. Its state lives in events. */
public record RunRecord(String id, String name, String command, String specPath, String workdir, String host, Instant createdAt) {}
