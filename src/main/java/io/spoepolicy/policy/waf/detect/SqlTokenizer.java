package io.spoepolicy.policy.waf.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into SQL-ish tokens. It can start as if the text continued a string literal opened
 * by the application ({@code quote}), because that is where injections begin.
 */
final class SqlTokenizer {

    record Token(SqlTokenType type, String text) {}

    static final Set<String> LOGIC_WORDS = Set.of("and", "or", "xor", "not", "div", "mod", "like",
            "rlike", "regexp", "sounds", "is", "in", "between", "collate", "escape");
    static final Set<String> OPERATOR_WORDS = Set.of("like", "rlike", "regexp", "sounds", "is",
            "in", "between", "div", "mod", "collate", "escape");
    static final Set<String> KEYWORDS = Set.of("select", "insert", "update", "delete", "drop",
            "create", "alter", "truncate", "exec", "execute", "declare", "shutdown", "from", "where",
            "having", "group", "order", "by", "limit", "offset", "into", "values", "table", "procedure",
            "waitfor", "delay", "case", "when", "then", "else", "end", "null", "distinct", "top",
            "all", "set", "call", "load_file", "outfile", "dumpfile", "information_schema", "sysobjects",
            "handler", "open", "rename", "replace", "grant", "revoke", "begin", "commit", "rollback",
            "if", "elt", "exists", "desc", "asc", "true", "false", "join", "inner", "outer", "left",
            "right", "cross", "natural", "straight_join", "using", "on", "as", "cast", "convert",
            "unhex", "hex", "char", "chr", "ascii", "substring", "substr", "mid", "concat", "sleep",
            "benchmark", "pg_sleep", "version", "database", "user", "current_user", "system_user",
            "extractvalue", "updatexml", "group_concat", "count", "md5", "sha1", "randomblob",
            "dbms_pipe", "utl_inaddr", "xp_cmdshell", "sp_executesql", "openrowset", "load", "data",
            "infile", "lock", "tables", "connection_id", "schema", "row_count", "found_rows");

    private SqlTokenizer() {}

    static List<Token> tokenize(String s, char quote, int maxTokens) {
        List<Token> tokens = new ArrayList<>();
        int n = s.length();
        int i = 0;
        if (quote != 0) {
            int end = s.indexOf(quote);
            if (end < 0) {
                return tokens;
            }
            tokens.add(new Token(SqlTokenType.STRING, s.substring(0, end)));
            i = end + 1;
        }
        while (i < n && tokens.size() < maxTokens) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == 0xA0 || c == 0) {
                i++;
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = s.indexOf(c, i + 1);
                while (end > 0 && end + 1 < n && s.charAt(end + 1) == c) {
                    end = s.indexOf(c, end + 2);
                }
                String text = end < 0 ? s.substring(i + 1) : s.substring(i + 1, end);
                tokens.add(new Token(c == '`' ? SqlTokenType.BAREWORD : SqlTokenType.STRING, text));
                i = end < 0 ? n : end + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                String body = end < 0 ? s.substring(i + 2) : s.substring(i + 2, end);
                // MySQL runs "/*! ... */" as code: tokenize its content instead.
                if (body.startsWith("!")) {
                    String inner = body.substring(1).replaceFirst("^\\d{0,6}", "");
                    tokens.addAll(tokenize(inner, (char) 0, maxTokens));
                } else {
                    tokens.add(new Token(SqlTokenType.COMMENT, "/*"));
                }
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (s.startsWith("--", i)
                    && (i + 2 >= n || Character.isWhitespace(s.charAt(i + 2)) || s.charAt(i + 2) == '-'))) {
                tokens.add(new Token(SqlTokenType.COMMENT, c == '#' ? "#" : "--"));
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '(') {
                tokens.add(new Token(SqlTokenType.OPEN, "("));
                i++;
            } else if (c == ')') {
                tokens.add(new Token(SqlTokenType.CLOSE, ")"));
                i++;
            } else if (c == ',') {
                tokens.add(new Token(SqlTokenType.COMMA, ","));
                i++;
            } else if (c == ';') {
                tokens.add(new Token(SqlTokenType.SEMICOLON, ";"));
                i++;
            } else if (c == '.' && (i + 1 >= n || !Character.isDigit(s.charAt(i + 1)))) {
                tokens.add(new Token(SqlTokenType.DOT, "."));
                i++;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n)) {
                int j = i;
                if (c == '0' && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X'
                        || s.charAt(i + 1) == 'b' || s.charAt(i + 1) == 'B')) {
                    j = i + 2;
                    while (j < n && Character.isLetterOrDigit(s.charAt(j))) {
                        j++;
                    }
                } else {
                    while (j < n && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.'
                            || s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
                        j++;
                    }
                }
                tokens.add(new Token(SqlTokenType.NUMBER, s.substring(i, j)));
                i = j;
            } else if (c == '@') {
                int j = i + 1;
                while (j < n && (s.charAt(j) == '@' || isWordChar(s.charAt(j)))) {
                    j++;
                }
                tokens.add(new Token(SqlTokenType.VARIABLE, s.substring(i, j)));
                i = j;
            } else if (isWordStart(c)) {
                int j = i;
                while (j < n && (isWordChar(s.charAt(j)) || s.charAt(j) == '$')) {
                    j++;
                }
                String word = s.substring(i, j).toLowerCase(Locale.ROOT);
                int k = j;
                while (k < n && (Character.isWhitespace(s.charAt(k)) || s.charAt(k) == 0xA0)) {
                    k++;
                }
                boolean call = k < n && s.charAt(k) == '(';
                tokens.add(new Token(classify(word, call), word));
                i = j;
            } else if ("=<>!|&+-*/%^~:".indexOf(c) >= 0) {
                int j = i + 1;
                while (j < n && "=<>!|&".indexOf(s.charAt(j)) >= 0 && j - i < 3) {
                    j++;
                }
                String op = s.substring(i, j);
                tokens.add(new Token(op.equals("||") || op.equals("&&") ? SqlTokenType.LOGIC
                        : SqlTokenType.OPERATOR, op));
                i = j;
            } else {
                // Anything else (brackets, backslash, braces...) ends the SQL-looking text.
                tokens.add(new Token(SqlTokenType.BAREWORD, String.valueOf(c)));
                i++;
            }
        }
        return tokens;
    }

    private static SqlTokenType classify(String word, boolean call) {
        if (word.equals("union")) {
            return SqlTokenType.UNION;
        }
        if (word.equals("and") || word.equals("or") || word.equals("xor") || word.equals("not")) {
            return SqlTokenType.LOGIC;
        }
        if (OPERATOR_WORDS.contains(word)) {
            return SqlTokenType.OPERATOR;
        }
        if (call) {
            return SqlTokenType.FUNCTION;
        }
        if (KEYWORDS.contains(word)) {
            return SqlTokenType.KEYWORD;
        }
        return SqlTokenType.BAREWORD;
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    private static boolean isWordChar(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9');
    }
}
