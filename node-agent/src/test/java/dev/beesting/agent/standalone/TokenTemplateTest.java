package dev.beesting.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenTemplateTest {

    @Test
    void rendersAFakeAwsKeyDifferentlyEachTime() {
        String template = "AKIA{{ randUpper 16 }}";

        String first = TokenTemplate.render(template);
        String second = TokenTemplate.render(template);

        assertThat(first).matches("AKIA[A-Z0-9]{16}");
        assertThat(second).matches("AKIA[A-Z0-9]{16}").isNotEqualTo(first);
    }

    @Test
    void everyFunctionProducesItsAlphabet() {
        assertThat(TokenTemplate.render("{{randAlphaNum 30}}")).matches("[A-Za-z0-9]{30}");
        assertThat(TokenTemplate.render("{{ randAlpha 5 }}")).matches("[A-Za-z]{5}");
        assertThat(TokenTemplate.render("{{ randNumeric 8 }}")).matches("[0-9]{8}");
        assertThat(TokenTemplate.render("{{ randHex 12 }}")).matches("[0-9a-f]{12}");
        assertThat(TokenTemplate.render("id={{ uuid }}")).matches("id=[0-9a-f-]{36}");
    }

    @Test
    void textWithoutPlaceholdersIsKeptAsIs() {
        assertThat(TokenTemplate.render("plain $1 \\ text\n")).isEqualTo("plain $1 \\ text\n");
    }

    @Test
    void badPlaceholdersAreRejectedWithTheReason() {
        assertThatThrownBy(() -> TokenTemplate.render("{{ randHex }}")).hasMessageContaining("needs a length");
        assertThatThrownBy(() -> TokenTemplate.render("{{ randHex 0 }}")).hasMessageContaining("length must be");
        assertThatThrownBy(() -> TokenTemplate.render("{{ oops")).hasMessageContaining("malformed placeholder");
    }
}
