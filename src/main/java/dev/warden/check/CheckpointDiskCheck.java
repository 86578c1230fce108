package dev.warden.check;

import dev.warden.checkpoint.DiskGuard;

/**
 * checkpoint_disk: free space where checkpoints go is at least `factor` x the newest checkpoint (default 3), so the
 * next save cannot fill the disk halfway. Added by itself when the spec has a `checkpoints:` section.
 * `- checkpoint_disk: {dir: checkpoints, factor: 3}`
 */
final class CheckpointDiskCheck implements Check {
    private final String dir;
    private final double factor;

    private CheckpointDiskCheck(String dir, double factor) {
        this.dir = dir;
        this.factor = factor;
    }

    static Check create(CheckArgs a) {
        a.allow("dir", "factor");
        double factor = a.number("factor", 3.0);
        if (factor < 1) {
            throw a.error("factor", "is " + factor, "use 1 or more: free space must hold at least one more checkpoint");
        }
        return new CheckpointDiskCheck(a.string("dir", "."), factor);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DiskGuard.Result r = DiskGuard.check(ctx.resolve(dir), factor);
        return r.ok() ? CheckResult.pass(r.message())
                : CheckResult.fail(r.message(), "free space on that filesystem, move `checkpoints.dir`, or prune old ones: "
                        + "`warden ckpt prune " + dir + " --keep-last 3`");
    }
}
