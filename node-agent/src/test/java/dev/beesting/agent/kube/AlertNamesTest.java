package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AlertNamesTest {
    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void theOtherNameIsStableForOneKeyAndDiffersBetweenKeys() {
        String usual = "simplecms-6c4bfc97cd-wdnhv-a3986b1a";
        String once = new AlertNames(key(1)).alternate(usual);
        assertThat(new AlertNames(key(1)).alternate(usual)).isEqualTo(once);
        assertThat(new AlertNames(key(2)).alternate(usual)).isNotEqualTo(once);
        assertThat(once).startsWith(usual + "-").isNotEqualTo(usual);
    }

    @Test
    void theOtherNameOfALongNameStaysAValidLabel() {
        String usual = "a".repeat(54) + "-0123abcd";
        assertThat(new AlertNames(key(1)).alternate(usual))
                .hasSizeLessThanOrEqualTo(63)
                .matches("[a-z0-9-]+[a-z0-9]");
    }
}
