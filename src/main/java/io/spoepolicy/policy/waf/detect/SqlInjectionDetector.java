package io.spoepolicy.policy.waf.detect;

import io.spoepolicy.policy.waf.detect.SqlTokenizer.Token;
import java.util.List;
import java.util.Set;

/**
 * The project's SQL injection detector behind {@code @detectSQLi}. It tokenizes the value three
 * times (as plain text, and as if it continued a single- or double-quoted literal) and looks for
 * token sequences that only make sense as SQL: a closed literal followed by boolean logic or a
 * comment, tautologies, {@code UNION SELECT}, stacked statements, and calls to functions used for
 * blind injection. Stateless and thread-safe.
 */
public final class SqlInjectionDetector {

    private static final int MAX_TOKENS = 48;
    /**
     * Injection patterns must start near the beginning of the value: an injection breaks out of
     * the application's query right where the value starts, while SQL-like words deep inside
     * prose or paths are usually benign.
     */
    private static final int START_WINDOW = 6;
    /** Functions whose mere call (without a preceding operator) is an injection marker. */
    private static final Set<String> STRONG_FUNCTIONS = Set.of("sleep", "benchmark", "pg_sleep",
            "load_file", "extractvalue", "updatexml", "dbms_pipe", "utl_inaddr", "xp_cmdshell");
    private static final char[] CONTEXTS = {0, '\'', '"'};

    private static final Set<String> STACKABLE = Set.of("select", "insert", "update", "delete",
            "drop", "create", "alter", "truncate", "exec", "execute", "declare", "shutdown",
            "waitfor", "set", "grant", "revoke", "rename", "call", "begin", "if", "load", "handler");
    private static final Set<String> CLAUSES = Set.of("order", "group", "having", "limit",
            "procedure", "into", "where", "union", "offset");
    private static final Set<String> FUNCTIONS = Set.of("sleep", "benchmark", "pg_sleep",
            "load_file", "extractvalue", "updatexml", "char", "chr", "concat", "concat_ws",
            "group_concat", "version", "database", "user", "current_user", "system_user", "ascii",
            "substring", "substr", "mid", "hex", "unhex", "if", "elt", "md5", "sha1", "randomblob",
            "make_set", "exp", "floor", "rand", "count", "length", "ord", "cast", "convert",
            "schema", "connection_id", "row_count", "found_rows", "instr", "locate", "position",
            "lpad", "rpad", "coalesce", "ifnull", "nullif", "iif", "db_name", "user_name",
            "xp_cmdshell", "utl_inaddr", "utl_http", "dbms_pipe", "sys_context", "to_char",
            "name_const", "gtid_subset", "json_keys", "polygon", "multipoint", "geometrycollection",
            "linestring", "st_latfromgeohash", "exists", "isnull", "nvl", "decode", "select");

    /** A short token fingerprint when the value looks like SQL injection, else {@code null}. */
    public String detect(String input) {
        if (input.length() < 2) {
            return null;
        }
        for (char quote : CONTEXTS) {
            if (quote != 0 && input.indexOf(quote) < 0) {
                continue;
            }
            List<Token> tokens = SqlTokenizer.tokenize(input, quote, MAX_TOKENS);
            if (tokens.isEmpty()) {
                continue;
            }
            if (suspicious(tokens, quote != 0)) {
                return fingerprint(tokens);
            }
        }
        return null;
    }

    private static boolean suspicious(List<Token> t, boolean quoted) {
        int n = t.size();
        if (quoted && n >= 2 && afterClosedLiteral(t)) {
            return true;
        }
        for (int i = 0; i < n && i < START_WINDOW; i++) {
            Token tok = t.get(i);
            switch (tok.type()) {
                case UNION -> {
                    if (followedBySelect(t, i + 1)) {
                        return true;
                    }
                }
                case SEMICOLON -> {
                    if (i + 1 < n && isWord(t.get(i + 1), STACKABLE) && i > 0) {
                        return true;
                    }
                }
                case FUNCTION -> {
                    if (i == 0 && STRONG_FUNCTIONS.contains(tok.text()) && n >= 3) {
                        return true;
                    }
                    if (FUNCTIONS.contains(tok.text()) && i > 0 && introducesExpression(t.get(i - 1))
                            && (tok.text().length() > 3 || i + 1 < n)) {
                        return true;
                    }
                }
                case LOGIC -> {
                    if (i > 0 && logicInjection(t, i)) {
                        return true;
                    }
                }
                case KEYWORD -> {
                    if (tok.text().equals("select") && selectFrom(t, i + 1)) {
                        return true;
                    }
                    if (tok.text().equals("waitfor") && i + 1 < n && t.get(i + 1).text().equals("delay")) {
                        return true;
                    }
                    if (i == 1 && isValue(t.get(0)) && t.get(0).type() == SqlTokenType.NUMBER
                            && CLAUSES.contains(tok.text()) && i + 1 < n) {
                        return true;
                    }
                }
                default -> { }
            }
        }
        return false;
    }

    /** The value closed the application's literal: what follows decides. */
    private static boolean afterClosedLiteral(List<Token> t) {
        int n = t.size();
        Token next = t.get(1);
        switch (next.type()) {
            case LOGIC:
                return n >= 3;
            case COMMENT:
                return true;
            case SEMICOLON:
                return n >= 3 && (isWord(t.get(2), STACKABLE) || t.get(2).type() == SqlTokenType.COMMENT);
            case UNION:
                return followedBySelect(t, 2);
            case OPERATOR:
                if (n >= 3) {
                    SqlTokenType after = t.get(2).type();
                    if (next.text().startsWith("|") && after == SqlTokenType.BAREWORD) {
                        return true;
                    }
                    return after == SqlTokenType.FUNCTION || after == SqlTokenType.NUMBER
                            || after == SqlTokenType.STRING || after == SqlTokenType.VARIABLE
                            || (after == SqlTokenType.OPEN && n >= 4);
                }
                return false;
            case CLOSE:
                if (n >= 3) {
                    SqlTokenType after = t.get(2).type();
                    return after == SqlTokenType.LOGIC || after == SqlTokenType.UNION
                            || after == SqlTokenType.SEMICOLON || after == SqlTokenType.COMMENT
                            || (after == SqlTokenType.KEYWORD && CLAUSES.contains(t.get(2).text()));
                }
                return false;
            case KEYWORD:
                return CLAUSES.contains(next.text()) && n >= 3;
            default:
                return false;
        }
    }

    private static boolean logicInjection(List<Token> t, int i) {
        int n = t.size();
        Token before = t.get(i - 1);
        if (!(isValue(before) || before.type() == SqlTokenType.CLOSE)) {
            return false;
        }
        if (i + 1 >= n) {
            return false;
        }
        Token a = t.get(i + 1);
        switch (a.type()) {
            case FUNCTION:
                return true;
            case OPEN:
                return i + 2 < n && (isValue(t.get(i + 2)) || t.get(i + 2).type() == SqlTokenType.KEYWORD
                        || t.get(i + 2).type() == SqlTokenType.FUNCTION);
            case NUMBER:
            case STRING:
            case VARIABLE:
                if (i + 2 >= n) {
                    return a.type() == SqlTokenType.NUMBER && before.type() != SqlTokenType.BAREWORD;
                }
                Token b = t.get(i + 2);
                return b.type() == SqlTokenType.OPERATOR || b.type() == SqlTokenType.COMMENT
                        || b.type() == SqlTokenType.LOGIC || b.type() == SqlTokenType.SEMICOLON;
            case BAREWORD:
            case KEYWORD:
                return i + 3 < n && t.get(i + 2).type() == SqlTokenType.OPERATOR
                        && !t.get(i + 2).text().equals("-") && isValue(t.get(i + 3));
            default:
                return false;
        }
    }

    private static boolean followedBySelect(List<Token> t, int from) {
        for (int j = from; j < t.size() && j < from + 4; j++) {
            Token tok = t.get(j);
            if (tok.text().equals("select")) {
                return true;
            }
            if (!(tok.text().equals("all") || tok.text().equals("distinct")
                    || tok.type() == SqlTokenType.COMMENT || tok.type() == SqlTokenType.OPEN)) {
                return false;
            }
        }
        return false;
    }

    /** {@code select a, b from} / {@code select * from}: a column list and then FROM. */
    private static boolean selectFrom(List<Token> t, int from) {
        boolean expectItem = true;
        for (int j = from; j < t.size() && j < from + 16; j++) {
            Token tok = t.get(j);
            if (tok.text().equals("from")) {
                return !expectItem;
            }
            if (expectItem) {
                if (!(isValue(tok) || tok.type() == SqlTokenType.FUNCTION || tok.text().equals("*")
                        || tok.type() == SqlTokenType.KEYWORD)) {
                    return false;
                }
                expectItem = false;
            } else if (tok.type() == SqlTokenType.COMMA || tok.type() == SqlTokenType.DOT) {
                expectItem = true;
            } else if (!(tok.type() == SqlTokenType.OPEN || tok.type() == SqlTokenType.CLOSE
                    || tok.type() == SqlTokenType.OPERATOR || tok.type() == SqlTokenType.COMMENT
                    || (tok.type() == SqlTokenType.KEYWORD && tok.text().equals("as")))) {
                return false;
            }
        }
        return false;
    }

    private static boolean introducesExpression(Token previous) {
        return switch (previous.type()) {
            case LOGIC, OPERATOR, STRING, NUMBER, COMMA, OPEN, SEMICOLON, KEYWORD, UNION -> true;
            default -> false;
        };
    }

    private static boolean isValue(Token t) {
        return t.type() == SqlTokenType.NUMBER || t.type() == SqlTokenType.STRING
                || t.type() == SqlTokenType.BAREWORD || t.type() == SqlTokenType.VARIABLE;
    }

    private static boolean isWord(Token t, Set<String> words) {
        return (t.type() == SqlTokenType.KEYWORD || t.type() == SqlTokenType.FUNCTION
                || t.type() == SqlTokenType.BAREWORD) && words.contains(t.text());
    }

    private static String fingerprint(List<Token> tokens) {
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < tokens.size() && sb.length() < 8; i++) {
            sb.append(tokens.get(i).type().letter);
        }
        return sb.toString();
    }
}
