package io.spoepolicy.policy.waf.seclang;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns SecLang text into directives: joins backslash-continued lines, drops comments, and splits
 * arguments the way Apache's configuration reader does (double or single quotes, with only an
 * escaped quote unescaped inside them).
 */
public final class SecLangReader {

    private SecLangReader() {}

    public static List<Directive> read(String text, String fileName) {
        List<Directive> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder logical = new StringBuilder();
        int startLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (logical.length() == 0) {
                startLine = i + 1;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
            }
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1);
                continue;
            }
            logical.append(line);
            Directive d = parse(logical.toString().strip(), fileName + ":" + startLine);
            if (d != null) {
                out.add(d);
            }
            logical.setLength(0);
        }
        if (logical.length() > 0) {
            Directive d = parse(logical.toString().strip(), fileName + ":" + startLine);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    static Directive parse(String line, String source) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '"' || c == '\'') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < n && line.charAt(j) != c) {
                    if (line.charAt(j) == '\\' && j + 1 < n && line.charAt(j + 1) == c) {
                        sb.append(c);
                        j += 2;
                    } else {
                        sb.append(line.charAt(j));
                        j++;
                    }
                }
                words.add(sb.toString());
                i = j + 1;
            } else {
                int j = i;
                while (j < n && !Character.isWhitespace(line.charAt(j))) {
                    j++;
                }
                words.add(line.substring(i, j));
                i = j;
            }
        }
        if (words.isEmpty()) {
            return null;
        }
        return new Directive(words.get(0), words.subList(1, words.size()), source);
    }
}
