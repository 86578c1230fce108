package dev.warden.data;

/** Quoting for the shell commands a fix suggests. */
final class Shell {
    private Shell() {}

    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
