package org.icgw.gateway.sip;

import java.nio.charset.StandardCharsets;

/** Hand-written SIP requests for raw-socket tests. */
public final class SipText {

    private SipText() {
    }

    /** A well-formed out-of-dialog request from {@code client} with extra header lines and a body. */
    public static String request(RawSipClient client, String method, int serverPort, String extraHeaders, String body) {
        return method + " sip:gw@127.0.0.1:" + serverPort + " SIP/2.0\r\n"
                + "Via: " + client.via() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=" + SipFactories.newTag() + "\r\n"
                + "To: <sip:gw@127.0.0.1>\r\n"
                + "Call-ID: " + SipFactories.newTag() + "@test\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:probe@" + client.localHost() + ":" + client.localPort() + ">\r\n"
                + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "\r\n"
                + body;
    }

    public static String request(RawSipClient client, String method, int serverPort) {
        return request(client, method, serverPort, "", "");
    }
}
