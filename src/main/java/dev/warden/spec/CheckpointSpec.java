package dev.warden.spec;

import java.util.List;

/**
 * The `checkpoints:` section of warden.yaml. Owned by the checkpoint feature: fields may grow there.
 * YAML keys are the snake_case forms of the component names (resume_arg, on_dataset_change).
 * Every field is optional; dev.warden.checkpoint.CheckpointSettings applies the defaults and
 * validates the values with one-line messages.
 *
 * @param dir              where checkpoints are written, relative to the spec's directory
 * @param layout           huggingface | lightning | deepspeed | orbax | nemo | torch_dcp | generic (default: detected)
 * @param pattern          glob of checkpoint names for the generic layout, e.g. "step_*"
 * @param stepRegex        regex with one group that captures the step from a name (generic; default: the last number)
 * @param resumeArg        appended to the command on resume, e.g. "--resume_from_checkpoint ${checkpoint}"
 * @param seal             auto | off (default auto)
 * @param algorithm        sha256 | xxh128 (default sha256; xxh128 is faster and not cryptographic)
 * @param settle           a checkpoint without a completion marker counts as complete once nothing in it
 *                         changed for this long (default 2m)
 * @param fingerprint      what the checkpoints are bound to
 * @param onDatasetChange  archive | refuse | continue (default archive)
 * @param onConfigChange   refuse | continue (default refuse)
 * @param diskFactor       free space on the checkpoint filesystem must be at least this many times the
 *                         newest checkpoint's size (default 3)
 */
public record CheckpointSpec(
        String dir,
        String layout,
        String pattern,
        String stepRegex,
        String resumeArg,
        String seal,
        String algorithm,
        String settle,
        Fingerprint fingerprint,
        String onDatasetChange,
        String onConfigChange,
        Double diskFactor) {

    /** @param dataset files or directories (relative to the spec's directory) whose content the run depends on */
    public record Fingerprint(List<String> dataset, ConfigKeys config) {}

    /** @param keys dotted paths into the config file, e.g. lora.r */
    public record ConfigKeys(String file, List<String> keys) {}

    /** A spec with only a directory and a layout; everything else default. */
    public static CheckpointSpec of(String dir, String layout) {
        return new CheckpointSpec(dir, layout, null, null, null, null, null, null, null, null, null, null);
    }

    public CheckpointSpec withPattern(String glob) {
        return new CheckpointSpec(dir, layout, glob, stepRegex, resumeArg, seal, algorithm, settle, fingerprint,
                onDatasetChange, onConfigChange, diskFactor);
    }

    public CheckpointSpec withSettle(String duration) {
        return new CheckpointSpec(dir, layout, pattern, stepRegex, resumeArg, seal, algorithm, duration, fingerprint,
                onDatasetChange, onConfigChange, diskFactor);
    }

    public CheckpointSpec withSeal(String sealMode, String algorithmName) {
        return new CheckpointSpec(dir, layout, pattern, stepRegex, resumeArg, sealMode, algorithmName, settle,
                fingerprint, onDatasetChange, onConfigChange, diskFactor);
    }

    public CheckpointSpec withFingerprint(Fingerprint fp, String datasetPolicy, String configPolicy) {
        return new CheckpointSpec(dir, layout, pattern, stepRegex, resumeArg, seal, algorithm, settle, fp,
                datasetPolicy, configPolicy, diskFactor);
    }
}
