package dev.beesting.operator.decoy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.spi.InetAddressResolverProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The operator's JVM never asks DNS who a client is, and still resolves names. */
class ForwardOnlyResolverTest {
    @Test
    void aClientAddressIsNamedByItselfWithoutAReverseLookup() throws Exception {
        // what the JDK's HTTPS server does with every connection it accepts; loopback would come from /etc/hosts
        InetSocketAddress client =
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) 244, 0, 1}), 40000);

        assertThat(client.getHostName()).isEqualTo("10.244.0.1");
        assertThat(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getCanonicalHostName())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void theResolverIsTheJvmsOwn() {
        assertThat(ServiceLoader.load(InetAddressResolverProvider.class).stream())
                .extracting(ServiceLoader.Provider::type)
                .containsExactly(ForwardOnlyResolver.class);
    }

    @Test
    void namesStillResolve() throws Exception {
        assertThat(InetAddress.getByName("localhost").isLoopbackAddress()).isTrue();
        assertThat(InetAddress.getAllByName("127.0.0.1")).hasSize(1);
    }
}
