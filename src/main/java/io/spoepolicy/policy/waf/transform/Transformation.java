package io.spoepolicy.policy.waf.transform;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * SecLang transformations ({@code t:name}). Values are byte strings: every char is one byte
 * (0..255), so decoders produce bytes the way ModSecurity does.
 */
public enum Transformation {
    LOWERCASE("lowercase", Transformation::lowercase),
    UPPERCASE("uppercase", s -> s.toUpperCase(Locale.ROOT)),
    URL_DECODE("urlDecode", s -> UrlDecoding.decode(s, false)),
    URL_DECODE_UNI("urlDecodeUni", s -> UrlDecoding.decode(s, true)),
    HTML_ENTITY_DECODE("htmlEntityDecode", HtmlEntities::decode),
    JS_DECODE("jsDecode", EscapeDecoders::jsDecode),
    CSS_DECODE("cssDecode", EscapeDecoders::cssDecode),
    ESCAPE_SEQ_DECODE("escapeSeqDecode", EscapeDecoders::escapeSeqDecode),
    CMD_LINE("cmdLine", TextTransforms::cmdLine),
    COMPRESS_WHITESPACE("compressWhitespace", TextTransforms::compressWhitespace),
    REMOVE_WHITESPACE("removeWhitespace", TextTransforms::removeWhitespace),
    REMOVE_NULLS("removeNulls", s -> s.indexOf('\0') < 0 ? s : s.replace("\0", "")),
    REPLACE_NULLS("replaceNulls", s -> s.replace('\0', ' ')),
    REMOVE_COMMENTS("removeComments", Comments::remove),
    REMOVE_COMMENTS_CHAR("removeCommentsChar", Comments::removeChars),
    REPLACE_COMMENTS("replaceComments", Comments::replace),
    NORMALIZE_PATH("normalizePath", s -> PathNormalizer.normalize(s, false)),
    NORMALIZE_PATH_WIN("normalizePathWin", s -> PathNormalizer.normalize(s, true)),
    BASE64_DECODE("base64Decode", s -> Codecs.base64Decode(s, false)),
    BASE64_DECODE_EXT("base64DecodeExt", s -> Codecs.base64Decode(s, true)),
    HEX_DECODE("hexDecode", Codecs::hexDecode),
    HEX_ENCODE("hexEncode", Codecs::hexEncode),
    SHA1("sha1", s -> Codecs.digest(s, "SHA-1")),
    MD5("md5", s -> Codecs.digest(s, "MD5")),
    UTF8_TO_UNICODE("utf8toUnicode", Utf8ToUnicode::apply),
    LENGTH("length", s -> Integer.toString(s.length())),
    TRIM("trim", TextTransforms::trim),
    TRIM_LEFT("trimLeft", TextTransforms::trimLeft),
    TRIM_RIGHT("trimRight", TextTransforms::trimRight);

    private final String secLangName;
    private final UnaryOperator<String> function;

    Transformation(String secLangName, UnaryOperator<String> function) {
        this.secLangName = secLangName;
        this.function = function;
    }

    public String apply(String value) {
        return function.apply(value);
    }

    public String secLangName() {
        return secLangName;
    }

    /** Looks a {@code t:} name up case-insensitively; {@code null} when unsupported. */
    public static Transformation byName(String name) {
        for (Transformation t : values()) {
            if (t.secLangName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }

    private static String lowercase(String s) {
        // Only ASCII letters: bytes >= 0x80 are not characters here, as in ModSecurity.
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] out = s.toCharArray();
                for (int j = i; j < out.length; j++) {
                    char d = out[j];
                    if (d >= 'A' && d <= 'Z') {
                        out[j] = (char) (d + 32);
                    }
                }
                return new String(out);
            }
        }
        return s;
    }
}
