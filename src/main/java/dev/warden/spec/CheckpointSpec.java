package dev.warden.spec;

import java.util.List;

/**
 * The `checkpoints:` section of warden.yaml. Owned by the checkpoint feature: fields may grow there.
 *
 * @param dir              where checkpoints are written, relative to the spec's directory
 * @param layout           huggingface | lightning | deepspeed | orbax | nemo | torch_dcp | generic
 * @param pattern          glob for the generic layout, e.g. "step_*"
 * @param resumeArg        appended to the command on resume, e.g. "--resume_from_checkpoint ${checkpoint}"
 * @param seal             auto | off
 * @param fingerprint      what the checkpoints are bound to
 * @param onDatasetChange  archive | refuse | continue
 * @param onConfigChange   refuse | continue
 */
public record CheckpointSpec(
        String dir,
        String layout,
        String pattern,
        String resumeArg,
        String seal,
        Fingerprint fingerprint,
        String onDatasetChange,
        String onConfigChange) {

    public record Fingerprint(List<String> dataset, ConfigKeys config) {}

    public record ConfigKeys(String file, List<String> keys) {}
}
