package io.spoepolicy.testsupport;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SPOE event log line. The prefix is the same in every version:
 * {@code SPOE: [agent] <EVENT:name> sid=N st=N ...}; the tail differs:
 * <ul>
 * <li>2.x to 3.0: {@code reqT/qT/wT/resT/pT idles/applets sending/waiting errors/processed}</li>
 * <li>3.1 and later: {@code pT errors/processed}</li>
 * </ul>
 * Both tails start with a slash-separated timing field ending in the processing time and end with
 * {@code errors/processed}, which is all that is parsed from them.
 *
 * @param kind {@code EVENT} or {@code GROUP} (a {@code send-spoe-group} action)
 * @param status the SPOE status: 0 success, 1..255 local causes, 256+N SPOP status N of the connection
 * @param processingMillis the processing time, -1 when the event never reached the agent
 */
public record SpoeLogLine(String agent, String kind, String name, long streamId, int status,
        long processingMillis, long errors, long processed, String raw) {

    private static final Pattern LINE = Pattern.compile(
            "SPOE: \\[([^\\]]+)\\] <(EVENT|GROUP):([^>]+)> sid=(\\d+) st=(\\d+)\\s*(.*)$");

    public static Optional<SpoeLogLine> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        String[] tail = m.group(6).trim().split("\\s+");
        long processing = -1;
        long errors = -1;
        long processed = -1;
        if (tail.length >= 2) {
            String[] timings = tail[0].split("/");
            processing = parseLong(timings[timings.length - 1]);
            String[] counters = tail[tail.length - 1].split("/");
            if (counters.length == 2) {
                errors = parseLong(counters[0]);
                processed = parseLong(counters[1]);
            }
        }
        return Optional.of(new SpoeLogLine(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4)),
                Integer.parseInt(m.group(5)), processing, errors, processed, line));
    }

    public static List<SpoeLogLine> parseAll(List<String> lines) {
        return lines.stream().map(SpoeLogLine::parse).flatMap(Optional::stream).toList();
    }

    public boolean succeeded() {
        return status == 0;
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
