package org.icgw.gateway.sip.transport;

/**
 * What {@link SipFrameDecoder} cuts from a SIP byte stream (RFC 3261 §18.3: the header section
 * ends at an empty line, Content-Length gives the body). Byte arrays are owned by the frame.
 */
sealed interface SipFrame {

    /** Frames that carry no bytes. */
    enum Signal implements SipFrame {
        /** The first byte of a message came (a user event): its headers must be complete within the header timeout. */
        STARTED,
        /** A double CRLF between messages: an RFC 5626 §3.5.1 keep-alive ping, answered with one CRLF. */
        KEEP_ALIVE,
        /** No empty line within the message size limit: the stream cannot be framed, close it. */
        HEADERS_TOO_LONG
    }

    /** A whole message: header section (with its empty line) then exactly Content-Length bytes of body. */
    record Message(byte[] bytes, int headerLength) implements SipFrame {
    }

    /**
     * A message larger than the limit: its header section only; the body is skipped when
     * {@code closeAfter} is false, else the connection is closed after the answer.
     */
    record Oversized(byte[] headers, boolean closeAfter) implements SipFrame {
    }

    /**
     * A header section without a usable Content-Length (RFC 3261 §18.3 requires it on streams):
     * where the message ends is unknown, so the connection is closed after the answer.
     */
    record Unframed(byte[] headers) implements SipFrame {
    }
}
