package dev.warden.supervise;

import java.util.List;

/**
 * A failure's category as the diagnosis sees it.
 *
 * @param cause      one line for the terminal: category, the evidence line and where it is
 * @param suggestion what a person should try
 * @param gpus       GPUs the evidence names (for exclude_gpu)
 * @param deterministic retrying unchanged cannot help (missing module, config mismatch ...)
 */
public record Classification(String category, boolean deterministic, String cause, String suggestion, List<String> gpus) {}
