package org.icgw.gateway.sip.transport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A child process for {@link IdleConnectionsTest}: opens {@code count} TCP connections to a
 * loopback port from the given source addresses in turn, prints {@code OPEN <n>}, holds them
 * silent until a line (or end of input) comes on stdin, closes them and prints {@code CLOSED}.
 * Its own process has its own file limit, so 10,000 client sockets do not count against the
 * gateway's. It exits by itself after {@link #LIFETIME_MILLIS} whatever happens.
 */
public final class IdleTcpClients {

    /** The longest this process lives. */
    static final long LIFETIME_MILLIS = 120_000;

    private IdleTcpClients() {
    }

    public static void main(String[] args) throws Exception {
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(LIFETIME_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        });
        reaper.setDaemon(true);
        reaper.start();
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
        int count = Integer.parseInt(args[1]);
        List<InetAddress> sources = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            sources.add(InetAddress.getByName(args[i]));
        }
        List<SocketChannel> open = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.bind(new InetSocketAddress(sources.get(i % sources.size()), 0));
            ch.connect(server);
            open.add(ch);
        }
        System.out.println("OPEN " + open.size());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        for (SocketChannel ch : open) {
            ch.close();
        }
        System.out.println("CLOSED");
        System.out.flush();
    }
}
