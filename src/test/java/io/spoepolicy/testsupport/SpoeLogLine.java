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
 * {@code errors/processed}. The 2.x tail also shows the agent's applets (connections) and the frames
 * waiting for an ACK: more waiting frames than applets means several NOTIFYs were in flight on
 * one connection, i.e. pipelining at work.
 *
 * @param kind {@code EVENT} or {@code GROUP} (a {@code send-spoe-group} action)
 * @param status the SPOE status: 0 success, 1..255 local causes, 256+N SPOP status N of the connection
 * @param processingMillis the processing time in ms
 * @param applets SPOE applets (one connection each) of the agent; -1 on 3.1+ which does not log it
 * @param waiting frames sent and waiting for their ACK; -1 on 3.1+
 */
public record SpoeLogLine(String agent, String kind, String name, long streamId, int status,
        long processingMillis, long applets, long waiting, long errors, long processed, String raw) {

    private static final Pattern LINE = Pattern.compile(
            "SPOE: \\[([^\\]]+)\\] <(EVENT|GROUP):([^>]+)> sid=(\\d+) st=(\\d+)\\s*(.*)$");

    public static Optional<SpoeLogLine> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        String[] tail = m.group(6).trim().split("\\s+");
        long processing = -1;
        long[] errorsProcessed = {-1, -1};
        long[] idlesApplets = {-1, -1};
        long[] sendingWaiting = {-1, -1};
        if (tail.length >= 2) {
            String[] timings = tail[0].split("/");
            processing = parseLong(timings[timings.length - 1]);
            errorsProcessed = pair(tail[tail.length - 1]);
        }
        if (tail.length == 4) {
            idlesApplets = pair(tail[1]);
            sendingWaiting = pair(tail[2]);
        }
        return Optional.of(new SpoeLogLine(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4)),
                Integer.parseInt(m.group(5)), processing, idlesApplets[1], sendingWaiting[1],
                errorsProcessed[0], errorsProcessed[1], line));
    }

    public static List<SpoeLogLine> parseAll(List<String> lines) {
        return lines.stream().map(SpoeLogLine::parse).flatMap(Optional::stream).toList();
    }

    public boolean succeeded() {
        return status == 0;
    }

    /** True when this line proves that some connection had more than one NOTIFY awaiting its ACK. */
    public boolean showsPipelining() {
        return applets > 0 && waiting > applets;
    }

    private static long[] pair(String field) {
        String[] parts = field.split("/");
        return parts.length == 2 ? new long[] {parseLong(parts[0]), parseLong(parts[1])} : new long[] {-1, -1};
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
