package dev.beesting.operator.decoy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * The JVM's name resolver, without reverse lookups. The JDK's HTTPS server names every client it accepts by host name
 * before the TLS handshake ({@code InetSocketAddress.getHostName()}), which asks DNS for the PTR record of the
 * client's address. For the decoy that is a lookup per connection whose answer an outside client controls (its own
 * PTR server can stall it), and where the cluster's DNS is unreachable each handshake waited out the resolver's
 * timeouts: 10 s, longer than kubectl waits. With this resolver a reverse lookup fails at once, so a client is named
 * by its address; forward lookups (the API server, a webhook) go to the JDK's own resolver unchanged. Installed for
 * the whole JVM through {@code META-INF/services}; nothing in the operator or the decoy needs a reverse lookup.
 */
public final class ForwardOnlyResolver extends InetAddressResolverProvider {
    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy lookupPolicy)
                    throws UnknownHostException {
                return builtin.lookupByName(host, lookupPolicy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                throw new UnknownHostException("reverse lookups are off: a client is named by its address");
            }
        };
    }

    @Override
    public String name() {
        return "beesting-forward-only";
    }
}
