package org.icgw.gateway.sip.b2bua;

import java.util.Locale;
import java.util.Objects;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.icgw.gateway.sip.InboundRequest;

/**
 * Whether a request belongs to a terminal's INVITE transaction: the same Call-ID, From tag, To tag,
 * Request-URI, CSeq number and top Via (branch and sent-by), and, since the gateway trusts the
 * transport rather than the message, the same flow the INVITE came on. A CANCEL that matches is
 * for that INVITE (RFC 3261 §9.2 with §17.2.3); an INVITE that matches is a retransmission of it.
 */
final class TransactionMatch {

    private TransactionMatch() {
    }

    /**
     * Whether {@code cancel} cancels {@code invite}.
     *
     * @param invite     the INVITE as it arrived
     * @param inviteFlow where it arrived from
     * @param cancel     the CANCEL, as it arrived
     */
    static boolean cancels(Request invite, Flow inviteFlow, InboundRequest cancel) {
        return Request.CANCEL.equals(cancel.method()) && inviteFlow.admits(cancel)
                && sameTransaction(invite, cancel.request());
    }

    /** Whether {@code request} is {@code invite} again, retransmitted on its flow. */
    static boolean repeats(Request invite, Flow inviteFlow, InboundRequest request) {
        return Request.INVITE.equals(request.method()) && inviteFlow.admits(request)
                && sameTransaction(invite, request.request());
    }

    /** The message-level match, without the flow: what a unit test can check field by field. */
    static boolean sameTransaction(Request invite, Request other) {
        return B2bua.callIdOf(invite).equals(B2bua.callIdOf(other))
                && sameTag(((FromHeader) invite.getHeader(FromHeader.NAME)).getTag(),
                        ((FromHeader) other.getHeader(FromHeader.NAME)).getTag())
                && sameTag(((ToHeader) invite.getHeader(ToHeader.NAME)).getTag(),
                        ((ToHeader) other.getHeader(ToHeader.NAME)).getTag())
                && invite.getRequestURI().equals(other.getRequestURI())
                && ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber()
                        == ((CSeqHeader) other.getHeader(CSeqHeader.NAME)).getSeqNumber()
                && sameTopVia((ViaHeader) invite.getHeader(ViaHeader.NAME), (ViaHeader) other.getHeader(ViaHeader.NAME));
    }

    private static boolean sameTopVia(ViaHeader invite, ViaHeader other) {
        return invite != null && other != null && invite.getBranch() != null
                && invite.getBranch().equals(other.getBranch())
                && invite.getHost().equalsIgnoreCase(other.getHost())
                && invite.getPort() == other.getPort()
                && invite.getTransport().equalsIgnoreCase(other.getTransport());
    }

    /** Tags compare without case (RFC 3261 §19.3 makes them tokens); an absent tag equals only another. */
    static boolean sameTag(String a, String b) {
        return Objects.equals(a == null ? null : a.toLowerCase(Locale.ROOT), b == null ? null : b.toLowerCase(Locale.ROOT));
    }
}
