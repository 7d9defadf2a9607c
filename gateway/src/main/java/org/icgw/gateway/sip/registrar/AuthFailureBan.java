package org.icgw.gateway.sip.registrar;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.gateway.sip.SourceGuard;

/**
 * The gateway's {@link AuthFailureListener}: each failure is a security event {@code auth_failed}
 * (one log line naming the source, the method and the username sent) and counts toward the
 * source's ban in the {@link SourceGuard}; the failure that bans it is also an event
 * {@code banned}. The reason stays in the log line only: the client saw the same 403 for all.
 */
public final class AuthFailureBan implements AuthFailureListener {

    private final SourceGuard guard;
    private final SecurityEvents events;

    public AuthFailureBan(SourceGuard guard, SecurityEvents events) {
        this.guard = guard;
        this.events = events;
    }

    @Override
    public void failed(InetAddress source, String method, String username, AuthResult.Reason reason) {
        InetSocketAddress where = source == null ? null : new InetSocketAddress(source, 0);
        String name = username == null ? "" : username;
        events.record(SecurityEvent.AUTH_FAILED, where,
                method + " as '" + name + "' (" + reason.name().toLowerCase(Locale.ROOT) + ")");
        if (source != null && guard.authFailed(source)) {
            events.record(SecurityEvent.BANNED, where, "after repeated failed authentication");
        }
    }
}
