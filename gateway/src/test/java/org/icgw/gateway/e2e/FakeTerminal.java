package org.icgw.gateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icgw.gateway.sip.SipFactories;

/**
 * An inmate phone written by hand: REGISTER and INVITE with MD5 digest, ACK, INFO digits, BYE and
 * CANCEL; answers the gateway's BYE. One call at a time.
 */
public final class FakeTerminal extends SipPeer {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final int gatewayPort;
    private final String user;
    private final String password;
    private int cseq = 1;

    // The current call's dialog.
    private String callId;
    private String fromTag;
    private String toHeader;
    private String inviteUri;
    private String remoteTarget;
    private String inviteVia;
    private long inviteCseq;
    private String lastInvite;
    private SipMessage lastOk;

    public FakeTerminal(int gatewayPort, String user, String password) throws IOException {
        this.gatewayPort = gatewayPort;
        this.user = user;
        this.password = password;
    }

    public String callId() {
        return callId;
    }

    /** The 2xx that answered the last INVITE. */
    public SipMessage answer() {
        return lastOk;
    }

    /** REGISTERs with digest; the final status. */
    public int register() throws IOException {
        String uri = "sip:127.0.0.1:" + gatewayPort;
        String regCallId = SipFactories.newTag() + "@terminal";
        String tag = SipFactories.newTag();
        String auth = null;
        for (int round = 0; round < 2; round++) {
            send("REGISTER " + uri + " SIP/2.0\r\nVia: " + via() + "\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:" + user + "@127.0.0.1>;tag=" + tag + "\r\nTo: <sip:" + user + "@127.0.0.1>\r\n"
                    + "Call-ID: " + regCallId + "\r\nCSeq: " + (cseq++) + " REGISTER\r\n"
                    + "Contact: " + contact(user) + "\r\nExpires: 3600\r\n"
                    + (auth != null ? "Authorization: " + auth + "\r\n" : "") + "Content-Length: 0\r\n\r\n", gatewayPort);
            SipMessage r = await(finalResponse("REGISTER"), WAIT, "REGISTER response");
            if (r.status() != 401) {
                return r.status();
            }
            auth = authorization(r, "REGISTER", uri);
        }
        throw new AssertionError("challenged twice");
    }

    /**
     * Sends an INVITE to {@code dialed}, answers the challenge, and returns the final response
     * (ACKed by the gateway's transaction when not 2xx; a 2xx is left for {@link #ack()}).
     */
    public SipMessage invite(String dialed, String sdp) throws IOException {
        lastOk = null;
        inviteUri = "sip:" + dialed + "@127.0.0.1:" + gatewayPort;
        callId = SipFactories.newTag() + "@terminal";
        fromTag = SipFactories.newTag();
        toHeader = "<sip:" + dialed + "@127.0.0.1>";
        String auth = null;
        for (int round = 0; round < 2; round++) {
            inviteVia = via();
            inviteCseq = cseq++;
            lastInvite = inviteText(auth, sdp);
            send(lastInvite, gatewayPort);
            SipMessage r = await(m -> finalResponse("INVITE").test(m) && m.callId().equals(callId)
                    && m.cseqNumber() == inviteCseq, WAIT, "INVITE final response");
            if (r.status() >= 300) {
                // RFC 3261 §17.1.1.3: the ACK of a non-2xx reuses the INVITE's branch and the response's To.
                send("ACK " + inviteUri + " SIP/2.0\r\nVia: " + inviteVia + "\r\nMax-Forwards: 70\r\n"
                        + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\nTo: " + r.header("To").orElseThrow()
                        + "\r\nCall-ID: " + callId + "\r\nCSeq: " + inviteCseq + " ACK\r\nContent-Length: 0\r\n\r\n",
                        gatewayPort);
            }
            if (r.status() != 401 || round == 1 || sdp == null) {
                if (r.status() < 300) {
                    lastOk = r;
                    toHeader = r.header("To").orElseThrow();
                    remoteTarget = r.contactUri();
                }
                return r;
            }
            auth = authorization(r, "INVITE", inviteUri);
        }
        throw new AssertionError("unreachable");
    }

    /** An INVITE without credentials, never retried: what the gateway says first. */
    public SipMessage inviteUnauthenticated(String dialed, String sdp) throws IOException {
        inviteUri = "sip:" + dialed + "@127.0.0.1:" + gatewayPort;
        callId = SipFactories.newTag() + "@terminal";
        fromTag = SipFactories.newTag();
        toHeader = "<sip:" + dialed + "@127.0.0.1>";
        inviteVia = via();
        inviteCseq = cseq++;
        send(inviteText(null, sdp), gatewayPort);
        return await(m -> finalResponse("INVITE").test(m) && m.callId().equals(callId), WAIT, "INVITE final response");
    }

    /** Sends the INVITE with credentials and returns without waiting (for CANCEL tests). */
    public void inviteNoWait(String dialed, String sdp) throws IOException {
        SipMessage challenge = inviteUnauthenticated(dialed, sdp);
        if (challenge.status() != 401) {
            throw new AssertionError("expected 401, got " + challenge.status());
        }
        send("ACK " + inviteUri + " SIP/2.0\r\nVia: " + inviteVia + "\r\nMax-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\nTo: " + challenge.header("To").orElseThrow()
                + "\r\nCall-ID: " + callId + "\r\nCSeq: " + inviteCseq + " ACK\r\nContent-Length: 0\r\n\r\n", gatewayPort);
        String auth = authorization(challenge, "INVITE", inviteUri);
        inviteVia = via();
        inviteCseq = cseq++;
        send(inviteText(auth, sdp), gatewayPort);
    }

    private String inviteText(String auth, String sdp) {
        String body = sdp == null ? "" : sdp;
        return "INVITE " + inviteUri + " SIP/2.0\r\nVia: " + inviteVia + "\r\nMax-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\nTo: " + toHeader + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + inviteCseq + " INVITE\r\n"
                + "Contact: " + contact(user) + "\r\n"
                + (auth != null ? "Authorization: " + auth + "\r\n" : "")
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** ACKs the 2xx of the INVITE. */
    public void ack() throws IOException {
        send(ackText(), gatewayPort);
    }

    /** The ACK of the INVITE's 2xx, not sent. */
    public String ackText() {
        return "ACK " + remoteTarget + " SIP/2.0\r\nVia: " + via() + "\r\nMax-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\nTo: " + toHeader + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + inviteCseq + " ACK\r\nContent-Length: 0\r\n\r\n";
    }

    /** CANCELs the pending INVITE (same branch and CSeq number, RFC 3261 §9.1); the CANCEL's final status. */
    public int cancel() throws IOException {
        send(cancelText(), gatewayPort);
        return await(m -> finalResponse("CANCEL").test(m) && m.callId().equals(callId), WAIT, "CANCEL response").status();
    }

    /** The CANCEL of the last INVITE, not sent. */
    public String cancelText() {
        return "CANCEL " + inviteUri + " SIP/2.0\r\nVia: " + inviteVia + "\r\nMax-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\nTo: <sip:" + inviteUri.substring(4).split("@")[0]
                + "@127.0.0.1>\r\nCall-ID: " + callId + "\r\nCSeq: " + inviteCseq + " CANCEL\r\nContent-Length: 0\r\n\r\n";
    }

    /** The last INVITE {@link #invite} sent, as it was sent. */
    public String lastInvite() {
        return lastInvite;
    }

    /** The CSeq number of the last INVITE. */
    public long inviteCseq() {
        return inviteCseq;
    }

    /** An in-dialog request; its final status. */
    public int request(String method, String contentType, String body) throws IOException {
        return requestMessage(method, contentType, body).status();
    }

    /** An in-dialog request; its final response. */
    public SipMessage requestMessage(String method, String contentType, String body) throws IOException {
        long n = cseq++;
        send(requestText(method, "", contentType, body, n), gatewayPort);
        return await(m -> finalResponse(method).test(m) && m.callId().equals(callId) && m.cseqNumber() == n, WAIT,
                method + " response");
    }

    /** An in-dialog request with CSeq {@code n}, not sent. */
    public String requestText(String method, String extraHeaders, String contentType, String body, long n) {
        return method + " " + remoteTarget + " SIP/2.0\r\nVia: " + via() + "\r\nMax-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\nTo: " + toHeader + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + n + " " + method + "\r\n"
                + "Contact: " + contact(user) + "\r\n" + extraHeaders
                + (contentType != null ? "Content-Type: " + contentType + "\r\n" : "")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** ACKs a 2xx to a re-INVITE. */
    public void ack(SipMessage ok) throws IOException {
        send("ACK " + remoteTarget + " SIP/2.0\r\nVia: " + via() + "\r\nMax-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\nTo: " + toHeader + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + ok.cseqNumber() + " ACK\r\nContent-Length: 0\r\n\r\n",
                gatewayPort);
    }

    /** Each digit as INFO {@code application/dtmf-relay}; all must be answered 200. */
    public void infoDigits(String digits) throws IOException {
        for (char c : digits.toCharArray()) {
            int status = request("INFO", "application/dtmf-relay", "Signal=" + c + "\r\nDuration=160\r\n");
            if (status != 200) {
                throw new AssertionError("INFO " + c + " answered " + status);
            }
        }
    }

    public int bye() throws IOException {
        return request("BYE", null, "");
    }

    /** Waits for the gateway's BYE and answers 200. */
    public SipMessage awaitBye() throws IOException {
        SipMessage bye = await(m -> request("BYE").test(m) && m.callId().equals(callId), WAIT, "BYE from the gateway");
        send(bye.response(200, "OK", null, "", ""), gatewayPort);
        return bye;
    }

    private String authorization(SipMessage challenge, String method, String uri) {
        String header = challenge.all("WWW-Authenticate").stream().filter(h -> h.contains("MD5")).findFirst()
                .orElseThrow(() -> new AssertionError("no MD5 challenge"));
        String realm = null;
        String nonce = null;
        Matcher m = PARAM.matcher(header);
        while (m.find()) {
            if (m.group(1).equals("realm")) {
                realm = m.group(2);
            } else if (m.group(1).equals("nonce")) {
                nonce = m.group(2);
            }
        }
        String cnonce = SipFactories.newTag();
        String nc = "00000001";
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\"";
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
