package dev.warden.cli;

import java.io.PrintWriter;
import java.util.List;

/** Left-aligned columns, two spaces apart; the last column is not padded. */
final class Table {
    private Table() {}

    static void print(PrintWriter out, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i] == null ? 1 : r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String v = r[i] == null ? "-" : r[i];
                b.append(v);
                if (i < cols - 1) {
                    b.append(" ".repeat(w[i] - v.length() + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }
}
