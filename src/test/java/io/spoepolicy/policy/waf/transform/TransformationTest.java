package io.spoepolicy.policy.waf.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransformationTest {

    private static String t(String name, String input) {
        return Transformation.byName(name).apply(input);
    }

    @Test
    void decodersBehaveLikeModSecurity() {
        assertThat(t("urlDecodeUni", "a%20b+c%2")).isEqualTo("a b c%2");
        assertThat(t("urlDecodeUni", "%u0041%uFF1C")).isEqualTo("A<");
        assertThat(t("urlDecodeUni", "%zz%4")).isEqualTo("%zz%4");
        assertThat(t("urlDecode", "%u0041")).isEqualTo("%u0041");
        assertThat(t("htmlEntityDecode", "&lt;a&gt;&#x41;&#66&QUOT;&nbsp")).isEqualTo("<a>AB\"\u00a0");
        assertThat(t("htmlEntityDecode", "&unknown;")).isEqualTo("&unknown;");
        assertThat(t("jsDecode", "\\x3cscript\\u003e\\101\\n\\q")).isEqualTo("<script>A\nq");
        assertThat(t("jsDecode", "\\uff1c")).isEqualTo("<");
        assertThat(t("cssDecode", "\\3c script\\\\ x\\")).isEqualTo("<script\\ x");
        assertThat(t("escapeSeqDecode", "\\x41\\101\\z")).isEqualTo("AA\\z");
        assertThat(t("base64Decode", "PHNjcmlwdD4=")).isEqualTo("<script>");
        assertThat(t("base64Decode", "PHNjc!mlwdD4")).isEqualTo("<sc");
        assertThat(t("hexDecode", "3c7363")).isEqualTo("<sc");
        assertThat(t("hexEncode", "AB")).isEqualTo("4142");
    }

    @Test
    void normalisersBehaveLikeModSecurity() {
        assertThat(t("cmdLine", "C^A\"T  /E'T'C/PA\\SSWD ; ID")).isEqualTo("cat/etc/passwd id");
        assertThat(t("compressWhitespace", "a \t\n b\u00a0\u00a0c")).isEqualTo("a b c");
        assertThat(t("removeWhitespace", "s e\tl\ne c t")).isEqualTo("select");
        assertThat(t("replaceComments", "un/**/ion/*x")).isEqualTo("un ion ");
        assertThat(t("removeComments", "sel/*x*/ect -- rest")).isEqualTo("select  ");
        assertThat(t("removeCommentsChar", "/*a*/b--c#d")).isEqualTo("abcd");
        assertThat(t("normalizePath", "/a/./b/../../etc//passwd")).isEqualTo("/etc/passwd");
        assertThat(t("normalizePath", "../../x/")).isEqualTo("../../x/");
        assertThat(t("normalizePath", "/a/b/..")).isEqualTo("/a/");
        assertThat(t("normalizePath", "a/./")).isEqualTo("a/");
        assertThat(t("normalizePath", "./a")).isEqualTo("a");
        for (String normal : new String[] {"/", "/api/v1/products/12345", "a/b/", "/a.b/c..d/.e/..f", "x"}) {
            assertThat(PathNormalizer.normalize(normal, false)).isSameAs(normal);
        }
        assertThat(t("normalizePathWin", "C:\\a\\..\\windows\\win.ini")).isEqualTo("C:/windows/win.ini");
        assertThat(t("length", "hello")).isEqualTo("5");
        assertThat(t("lowercase", "SeLeCT")).isEqualTo("select");
        assertThat(t("trim", "  x \t")).isEqualTo("x");
    }

    @Test
    void utf8ToUnicodeTurnsMultiByteSequencesIntoPercentU() {
        String fullWidthLt = "\u00ef\u00bc\u009c"; // UTF-8 bytes of U+FF1C as a byte string
        assertThat(t("utf8toUnicode", "a" + fullWidthLt)).isEqualTo("a%uff1c");
        assertThat(t("urlDecodeUni", t("utf8toUnicode", fullWidthLt))).isEqualTo("<");
        assertThat(t("utf8toUnicode", "\u00ff\u00fe")).isEqualTo("\u00ff\u00fe");
    }

    @Test
    void sha1ThenHexEncodeGivesTheHexDigest() {
        assertThat(t("hexEncode", t("sha1", "abc"))).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    @Test
    void chainsKeepIntermediateStagesForMultiMatch() {
        TransformChain chain = new TransformChainRegistry().intern(
                List.of(Transformation.URL_DECODE_UNI, Transformation.LOWERCASE));
        assertThat(chain.stages("%3CA")).containsExactly("%3CA", "<A", "<a");
        assertThat(chain.stages("abc")).containsExactly("abc");
        assertThat(chain.apply("%3CA")).isEqualTo("<a");
    }

    @Test
    void registrySharesEqualChains() {
        TransformChainRegistry registry = new TransformChainRegistry();
        TransformChain a = registry.intern(List.of(Transformation.LOWERCASE));
        TransformChain b = registry.intern(List.of(Transformation.LOWERCASE));
        assertThat(a).isSameAs(b);
        assertThat(registry.intern(List.of())).isSameAs(TransformChain.NONE);
    }
}
