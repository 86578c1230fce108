package dev.warden.check;

import java.time.Duration;

/** A check ready to run: its id (what --skip-check names), its kind, and its own timeout. */
public record CheckItem(String id, String kind, Duration timeout, Check check) {}
