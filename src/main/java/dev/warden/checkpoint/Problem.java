package dev.warden.checkpoint;

import dev.warden.spec.Sizes;

/** One thing wrong with a checkpoint, as verify reports it. {@link #describe()} is the line a user reads. */
public sealed interface Problem {

    String describe();

    /** Nothing to verify against: the checkpoint was never sealed, or sealing was killed before its commit. */
    record NotSealed(String checkpoint) implements Problem {
        public String describe() {
            return "not sealed: no " + SealPaths.RECORD_NAME + " (run: warden ckpt seal " + Names.printable(checkpoint) + ")";
        }
    }

    record SealUnreadable(String detail) implements Problem {
        public String describe() {
            return "seal record unreadable: " + detail;
        }
    }

    /** The manifest a user can check with sha256sum no longer says what the seal record says. */
    record ManifestEdited(String detail) implements Problem {
        public String describe() {
            return "manifest edited after sealing: " + detail;
        }
    }

    record Missing(String file) implements Problem {
        public String describe() {
            return "missing: " + Names.printable(file);
        }
    }

    /** A file that was not there when the checkpoint was sealed. */
    record Extra(String file, long size) implements Problem {
        public String describe() {
            return "extra (added after sealing): " + Names.printable(file) + " (" + Sizes.format(size) + ")";
        }
    }

    record SizeMismatch(String file, long expected, long actual) implements Problem {
        public String describe() {
            String what = actual < expected ? "truncated" : "grew";
            return what + ": " + Names.printable(file) + " is " + actual + " bytes, sealed as " + expected;
        }
    }

    record HashMismatch(String file, String expected, String actual) implements Problem {
        public String describe() {
            return "content changed: " + Names.printable(file) + " (sealed " + shorten(expected) + ", now " + shorten(actual) + ")";
        }

        private static String shorten(String hex) {
            return hex.length() > 16 ? hex.substring(0, 16) + "..." : hex;
        }
    }

    /** A symbolic link that leaves the checkpoint (or points nowhere): refused, never followed. */
    record LinkEscapes(String file, String target) implements Problem {
        public String describe() {
            return "symbolic link leaves the checkpoint: " + Names.printable(file) + " -> " + Names.printable(target);
        }
    }

    record Unreadable(String file, String reason) implements Problem {
        public String describe() {
            return "unreadable: " + Names.printable(file) + " (" + reason + ")";
        }
    }
}
