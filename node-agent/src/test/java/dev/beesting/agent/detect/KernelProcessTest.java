package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KernelProcessTest {
    @Test
    void exeNamesLeafFirstBecomeAnAbsolutePath() {
        byte[] names = "cat\0bin\0usr\0".getBytes(StandardCharsets.UTF_8);

        assertThat(KernelProcess.exe(names, names.length)).isEqualTo("/usr/bin/cat");
    }

    @Test
    void exeIsEmptyWhenTheHookCapturedNothing() {
        assertThat(KernelProcess.exe(new byte[320], 0)).isEmpty();
    }

    @Test
    void cmdlineJoinsArgumentsWithSpacesAndDropsTrailingNuls() {
        byte[] args = "cat\0/run/token\0\0\0".getBytes(StandardCharsets.UTF_8);

        assertThat(KernelProcess.cmdline(args, args.length)).isEqualTo("cat /run/token");
    }

    @Test
    void cmdlineCutShortByTheHookKeepsWhatArrived() {
        byte[] args = "python3\0-c\0import os".getBytes(StandardCharsets.UTF_8);

        assertThat(KernelProcess.cmdline(args, 12)).isEqualTo("python3 -c i");
    }
}
