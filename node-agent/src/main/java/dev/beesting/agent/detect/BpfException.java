package dev.beesting.agent.detect;

import dev.beesting.agent.sys.Errno;
import java.io.IOException;

/** A libbpf call failed; carries the errno so tier selection can say why a tier was refused. */
public final class BpfException extends IOException {
    private final int errno;

    BpfException(String call, int negativeErrno) {
        super(call + " failed: " + Errno.name(negativeErrno));
        this.errno = Math.abs(negativeErrno);
    }

    public int errno() {
        return errno;
    }
}
