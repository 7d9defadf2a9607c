package org.icgw.gateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.icgw.gateway.sip.SipFactories;

/**
 * An outbound trunk written by hand: takes the gateway's INVITE, answers as a test tells it, and
 * acts as the callee in the dialog (INFO digits, hold re-INVITE, BYE).
 */
public final class FakeTrunk extends SipPeer {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final int gatewayPort;
    private SipMessage invite;
    private String toTag;
    private long cseq = 100;

    public FakeTrunk(int gatewayPort) throws IOException {
        this.gatewayPort = gatewayPort;
    }

    /** Waits for the gateway's INVITE. */
    public SipMessage awaitInvite() {
        invite = await(m -> request("INVITE").test(m) && m.toTag().isEmpty(), WAIT, "INVITE from the gateway");
        toTag = SipFactories.newTag();
        return invite;
    }

    public SipMessage invite() {
        return invite;
    }

    /** Answers the INVITE with {@code status}: 1xx and errors without a body, 2xx with this peer's SDP. */
    public void respond(int status, String reason) throws IOException {
        respond(status, reason, "");
    }

    public void respond(int status, String reason, String extraHeaders) throws IOException {
        String body = status >= 200 && status < 300 ? sdp() : "";
        String tag = status == 100 ? null : toTag;
        send(invite.response(status, reason, tag, "Contact: " + contact("callee") + "\r\n" + extraHeaders, body),
                gatewayPort);
    }

    /** Answers 200 and waits for the ACK. */
    public void answer() throws IOException {
        answer("");
    }

    public void answer(String extraHeaders) throws IOException {
        respond(180, "Ringing");
        respond(200, "OK", extraHeaders);
        await(m -> request("ACK").test(m) && m.callId().equals(invite.callId()), WAIT, "ACK of the 200");
    }

    /** An in-dialog request from the callee; its final response. */
    public SipMessage request(String method, String extraHeaders, String contentType, String body) throws IOException {
        long n = cseq++;
        send(requestText(method, extraHeaders, contentType, body, n), gatewayPort);
        return await(m -> finalResponse(method).test(m) && m.callId().equals(invite.callId()) && m.cseqNumber() == n,
                WAIT, method + " response");
    }

    /** An in-dialog request from the callee with CSeq {@code n}, not sent. */
    public String requestText(String method, String extraHeaders, String contentType, String body, long n) {
        String from = invite.header("To").orElseThrow() + (invite.toTag().isEmpty() ? ";tag=" + toTag : "");
        return method + " " + invite.contactUri() + " SIP/2.0\r\nVia: " + via() + "\r\nMax-Forwards: 70\r\n"
                + "From: " + from + "\r\nTo: " + invite.header("From").orElseThrow() + "\r\n"
                + "Call-ID: " + invite.callId() + "\r\nCSeq: " + n + " " + method + "\r\n"
                + "Contact: " + contact("callee") + "\r\n" + extraHeaders
                + (contentType != null ? "Content-Type: " + contentType + "\r\n" : "")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** ACKs a 2xx to our re-INVITE. */
    public void ackReinvite(SipMessage ok) throws IOException {
        String from = invite.header("To").orElseThrow() + ";tag=" + toTag;
        send("ACK " + invite.contactUri() + " SIP/2.0\r\nVia: " + via() + "\r\nMax-Forwards: 70\r\n"
                + "From: " + from + "\r\nTo: " + invite.header("From").orElseThrow() + "\r\n"
                + "Call-ID: " + invite.callId() + "\r\nCSeq: " + ok.cseqNumber() + " ACK\r\nContent-Length: 0\r\n\r\n",
                gatewayPort);
    }

    public int infoDigit(String contentType, String body) throws IOException {
        return request("INFO", "", contentType, body).status();
    }

    public int bye() throws IOException {
        return request("BYE", "", null, "").status();
    }

    /** Waits for a request of {@code method} in the INVITE's Call-ID and answers it {@code status}. */
    public SipMessage awaitAndAnswer(String method, int status, String reason) throws IOException {
        SipMessage r = await(m -> request(method).test(m) && m.callId().equals(invite.callId()), WAIT,
                method + " from the gateway");
        send(r.response(status, reason, null, "", ""), gatewayPort);
        return r;
    }

    /** Answers a request of the gateway (a refresh re-INVITE) with 200 and this peer's SDP. */
    public void answerWithSdp(SipMessage request, String extraHeaders) throws IOException {
        send(request.response(200, "OK", null, "Contact: " + contact("callee") + "\r\n" + extraHeaders, sdp()),
                gatewayPort);
    }
}
