package org.icgw.gateway.call;

import java.util.function.Consumer;

/**
 * The callee's side: an INVITE to the outbound trunks (UAC), with failover across the trunk list
 * on 5xx/6xx and timeouts. Implemented by the SIP layer; its news arrives as {@link CallEvent}s
 * ({@link CallEvent.TrunkRinging}, {@link CallEvent.TrunkAnswered}, {@link CallEvent.TrunkFailed},
 * {@link CallEvent.CalleeHangup}, digits and three-way signals from SIP).
 */
public interface TrunkLeg {

    /**
     * Places the call.
     *
     * @param e164   the callee's number, {@code +} and digits: the Request-URI is
     *               {@code sip:+<E.164>@<trunk>}
     * @param ani    the facility's caller ID, the From user
     * @param local  the gateway's media toward the callee
     * @param events where the leg's news goes
     */
    void dial(String e164, String ani, MediaDescription local, Consumer<CallEvent> events);

    /** Gives up: CANCEL before the answer, BYE after it; nothing when already ended. */
    void end();
}
