package dev.warden.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Finds the line:column of a dotted key path (budget.max_wall) in YAML text, for error messages. */
final class SpecLocator {
    private static final String ARRAY = "\u0000[]";

    private SpecLocator() {}

    static String find(String yaml, String dottedPath) {
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            List<String> stack = new ArrayList<>(); // one slot per open object (its current key) or array
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT -> stack.add(null);
                    case START_ARRAY -> stack.add(ARRAY);
                    case END_OBJECT, END_ARRAY -> stack.remove(stack.size() - 1);
                    case FIELD_NAME -> {
                        stack.set(stack.size() - 1, p.currentName());
                        String path = String.join(".", stack.stream().filter(s -> s != null && !s.equals(ARRAY)).toList());
                        if (path.equals(dottedPath)) {
                            JsonLocation l = p.currentTokenLocation();
                            return l.getLineNr() + ":" + l.getColumnNr();
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a location is a courtesy; the message still names the key
        }
        return "1:1";
    }
}
