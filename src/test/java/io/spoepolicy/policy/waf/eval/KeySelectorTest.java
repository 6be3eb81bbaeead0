package io.spoepolicy.policy.waf.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySelectorTest {

    private static final List<String> PATTERNS = List.of("^header_name_920450_", "rfi_parameter_.*", "paramcounter_.*",
            "MULTIPART_HEADERS_CONTENT_TYPES_*", "^_pk_ref", "^pbjs-\\w+$", "^_ga(?:_\\w+)?$", "\\x22?\\x24Version",
            "^exact$", "tail$", "a.b", "^", "x*");
    private static final List<String> KEYS = List.of("", "header_name_920450_content-type", "HEADER_NAME_920450_X",
            "xheader_name_920450_", "rfi_parameter_url", "my_RFI_PARAMETER_", "rfi_paramete", "paramcounter_",
            "multipart_headers_content_types", "multipart_headers_content_types_x", "MULTIPART_HEADERS_CONTENT_TYPE",
            "_pk_ref.1.abc", "_PK_REF", "pk_ref", "pbjs-id", "_ga", "_ga_XYZ", "\"$Version", "exact", "EXACT", "exactly",
            "detail", "axb", "ab", "_\u017fk_ref", "header_name_920450_\u0131", "\u212aey");

    @Test
    void answersLikeTheCaseInsensitiveRegex() {
        for (String p : PATTERNS) {
            Pattern pattern = Pattern.compile(p, Pattern.CASE_INSENSITIVE);
            KeySelector selector = KeySelector.of(pattern);
            for (String key : KEYS) {
                assertThat(selector.find(key)).as("/%s/ on '%s'", p, key).isEqualTo(pattern.matcher(key).find());
            }
        }
    }

    @Test
    void literalPatternsAvoidTheRegex() {
        assertThat(KeySelector.of(Pattern.compile("^header_name_920450_", Pattern.CASE_INSENSITIVE)).costly()).isFalse();
        assertThat(KeySelector.of(Pattern.compile("MULTIPART_HEADERS_CONTENT_TYPES_*", Pattern.CASE_INSENSITIVE)).costly())
                .isFalse();
        assertThat(KeySelector.of(Pattern.compile("^pbjs-\\w+$", Pattern.CASE_INSENSITIVE)).costly()).isTrue();
    }
}
