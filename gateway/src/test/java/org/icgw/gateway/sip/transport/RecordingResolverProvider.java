package org.icgw.gateway.sip.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The test JVM's name resolver (installed through {@code META-INF/services}): the JDK's own
 * resolver, unchanged, that also remembers every name looked up, so a test can prove a name was
 * never resolved. Other tests see the built-in behaviour.
 */
public final class RecordingResolverProvider extends InetAddressResolverProvider {

    /** Names remembered at most (a test JVM looks up a handful). */
    private static final int MAX_RECORDED = 10_000;
    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    /** The names looked up so far in this JVM, lower case. */
    public static Set<String> lookedUp() {
        return Set.copyOf(NAMES);
    }

    /** Whether the JDK took this provider as its resolver. */
    public static boolean installed() {
        return installed;
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        installed = true;
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (NAMES.size() < MAX_RECORDED) {
                    NAMES.add(host.toLowerCase(java.util.Locale.ROOT));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "icgw-test-recording";
    }
}
