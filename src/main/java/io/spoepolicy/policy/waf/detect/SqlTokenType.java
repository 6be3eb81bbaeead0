package io.spoepolicy.policy.waf.detect;

/** Token classes of the SQL tokenizer; the letter is used in fingerprints. */
enum SqlTokenType {
    NUMBER('1'),
    STRING('s'),
    BAREWORD('n'),
    KEYWORD('k'),
    UNION('U'),
    LOGIC('&'),
    OPERATOR('o'),
    FUNCTION('f'),
    VARIABLE('v'),
    OPEN('('),
    CLOSE(')'),
    COMMA(','),
    SEMICOLON(';'),
    COMMENT('c'),
    DOT('.');

    final char letter;

    SqlTokenType(char letter) {
        this.letter = letter;
    }
}
