package dev.warden.check;

import java.util.List;

/**
 * What `warden init` inferred from a command: the files it names that exist (checked), paths it
 * names that do not exist yet (offered commented out), the third-party modules the script imports,
 * and the GPU count of this node (null when no GPU tool answered).
 */
public record InitPlan(List<String> command, List<String> files, List<String> missingPaths, List<String> modules,
                       Integer gpus, String gpuNote) {}
