package io.spoepolicy.policy.waf.operator;

/** {@code @validateByteRange}: matches when some byte lies outside the allowed ranges. */
public final class ByteRangeOperator implements Operator {

    private final boolean[] allowed = new boolean[256];

    private ByteRangeOperator() {}

    /** Parses {@code 1-255} or {@code 9,10,13,32-126}. */
    public static ByteRangeOperator parse(String parameter) {
        ByteRangeOperator op = new ByteRangeOperator();
        for (String part : parameter.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            if (from < 0 || to > 255 || from > to) {
                throw new IllegalArgumentException("bad byte range: " + part);
            }
            for (int b = from; b <= to; b++) {
                op.allowed[b] = true;
            }
        }
        return op;
    }

    @Override
    public boolean matches(String input, OperatorContext context) {
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c > 255 || !allowed[c]) {
                if (context.captureEnabled()) {
                    context.capture(0, String.valueOf(c));
                }
                return true;
            }
        }
        return false;
    }
}
