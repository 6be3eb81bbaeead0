package io.spoepolicy.policy.waf.request;

import java.util.List;
import java.util.Locale;

/**
 * Splits a {@code multipart/form-data} body into form fields, file parts and part headers.
 * Accepts CRLF and bare LF line ends, as real-world clients and the CRS tests use both.
 */
final class MultipartParser {

    /** What a multipart body yields. */
    record Result(boolean truncated, long fileBytes) {}

    private MultipartParser() {}

    static String boundary(String contentType) {
        String lower = contentType.toLowerCase(Locale.ROOT);
        int at = lower.indexOf("boundary=");
        if (at < 0) {
            return null;
        }
        String b = contentType.substring(at + 9).trim();
        if (b.startsWith("\"")) {
            int end = b.indexOf('"', 1);
            return end < 0 ? b.substring(1) : b.substring(1, end);
        }
        int semi = b.indexOf(';');
        return (semi < 0 ? b : b.substring(0, semi)).trim();
    }

    static Result parse(String body, String boundary, List<Entry> args, List<Entry> files,
            List<Entry> fileNames, List<Entry> partHeaders, int limit) {
        String delimiter = "--" + boundary;
        int pos = body.indexOf(delimiter);
        long fileBytes = 0;
        boolean truncated = false;
        while (pos >= 0) {
            int lineEnd = body.indexOf('\n', pos);
            if (lineEnd < 0 || body.startsWith(delimiter + "--", pos)) {
                break;
            }
            int next = body.indexOf(delimiter, lineEnd + 1);
            int partEnd = next < 0 ? body.length() : next;
            String part = body.substring(lineEnd + 1, partEnd);
            int headerEnd = headerEnd(part);
            String headers = headerEnd < 0 ? part : part.substring(0, headerEnd);
            String content = headerEnd < 0 ? "" : part.substring(bodyStart(part, headerEnd));
            if (content.endsWith("\r\n")) {
                content = content.substring(0, content.length() - 2);
            } else if (content.endsWith("\n")) {
                content = content.substring(0, content.length() - 1);
            }
            String name = null;
            String filename = null;
            String[] lines = headers.split("\r?\n");
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    name = parameter(line, "name");
                    filename = parameter(line, "filename");
                }
            }
            String key = name == null ? "" : name;
            for (String line : lines) {
                if (!line.isEmpty()) {
                    partHeaders.add(new Entry(key, line));
                }
            }
            if (args.size() + files.size() >= limit) {
                truncated = true;
                break;
            }
            if (filename != null) {
                files.add(new Entry(key, filename));
                fileNames.add(new Entry(key, key));
                fileBytes += content.length();
            } else {
                args.add(new Entry(key, content));
            }
            pos = next;
        }
        return new Result(truncated, fileBytes);
    }

    private static int headerEnd(String part) {
        int crlf = part.indexOf("\r\n\r\n");
        int lf = part.indexOf("\n\n");
        if (crlf < 0) {
            return lf;
        }
        return lf < 0 ? crlf : Math.min(crlf, lf);
    }

    private static int bodyStart(String part, int headerEnd) {
        return part.startsWith("\r\n\r\n", headerEnd) ? headerEnd + 4 : headerEnd + 2;
    }

    /** A {@code name="value"} parameter of a header line, quoted or not; null when absent. */
    static String parameter(String line, String name) {
        String lower = line.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lower.indexOf(name + "=", from);
            if (at < 0) {
                return null;
            }
            char before = at == 0 ? ';' : lower.charAt(at - 1);
            if (before == ';' || before == ' ' || before == '\t') {
                int v = at + name.length() + 1;
                if (v < line.length() && line.charAt(v) == '"') {
                    int end = line.indexOf('"', v + 1);
                    return end < 0 ? line.substring(v + 1) : line.substring(v + 1, end);
                }
                int end = line.indexOf(';', v);
                return (end < 0 ? line.substring(v) : line.substring(v, end)).trim();
            }
            from = at + 1;
        }
    }
}
