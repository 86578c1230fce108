package dev.warden.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs several command lines in one JVM, separated by `--then`, so that the `warden` launcher's AppCDS archive
 * (dumped when this JVM exits) holds the classes of each of them: `check warden.yaml --then ckpt seal DIR`.
 * Exits with the first failing command's code; the launcher drops the archive then.
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) {
        List<List<String>> commands = new ArrayList<>();
        commands.add(new ArrayList<>());
        for (String a : args) {
            if (a.equals("--then")) {
                commands.add(new ArrayList<>());
            } else {
                commands.get(commands.size() - 1).add(a);
            }
        }
        for (List<String> c : commands) {
            int code = Main.execute(c.toArray(String[]::new));
            if (code != 0) {
                System.exit(code);
            }
        }
    }
}
