package org.icgw.gateway.sip.b2bua;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * Whether a CANCEL is for a given INVITE transaction (RFC 3261 §9.2 with §17.2.3): the same
 * Call-ID, From tag, To tag, Request-URI, CSeq number and top Via (branch and sent-by), and, since
 * the gateway trusts the transport rather than the message, the same flow the INVITE came on.
 */
final class CancelMatch {

    private CancelMatch() {
    }

    /**
     * @param invite     the INVITE as it arrived
     * @param inviteFlow where it arrived from
     * @param cancel     the CANCEL
     * @param source     where the CANCEL arrived from
     * @param transport  the transport it arrived on
     */
    static boolean matches(Request invite, Flow inviteFlow, Request cancel, InetSocketAddress source, String transport) {
        return Request.CANCEL.equals(cancel.getMethod())
                && inviteFlow.admits(source, transport)
                && B2bua.callIdOf(invite).equals(B2bua.callIdOf(cancel))
                && sameTag(((FromHeader) invite.getHeader(FromHeader.NAME)).getTag(),
                        ((FromHeader) cancel.getHeader(FromHeader.NAME)).getTag())
                && sameTag(((ToHeader) invite.getHeader(ToHeader.NAME)).getTag(),
                        ((ToHeader) cancel.getHeader(ToHeader.NAME)).getTag())
                && invite.getRequestURI().equals(cancel.getRequestURI())
                && ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber()
                        == ((CSeqHeader) cancel.getHeader(CSeqHeader.NAME)).getSeqNumber()
                && sameTopVia((ViaHeader) invite.getHeader(ViaHeader.NAME), (ViaHeader) cancel.getHeader(ViaHeader.NAME));
    }

    private static boolean sameTopVia(ViaHeader invite, ViaHeader cancel) {
        return invite != null && cancel != null && invite.getBranch() != null
                && invite.getBranch().equals(cancel.getBranch())
                && invite.getHost().equalsIgnoreCase(cancel.getHost())
                && invite.getPort() == cancel.getPort()
                && invite.getTransport().equalsIgnoreCase(cancel.getTransport());
    }

    /** Tags compare without case (RFC 3261 §19.3 makes them tokens); an absent tag equals only another. */
    static boolean sameTag(String a, String b) {
        return Objects.equals(a == null ? null : a.toLowerCase(Locale.ROOT), b == null ? null : b.toLowerCase(Locale.ROOT));
    }
}
