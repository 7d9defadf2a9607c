package org.icgw.policy.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A write the store refused even after repair, set aside so that the writes behind it could go
 * on: kept for an operator, with what it would have written.
 *
 * @param nodeId  the gateway process that set it aside
 * @param callId  the call it belongs to
 * @param kind    what it was: {@code cdr} or {@code settlement}
 * @param reason  what the store said, cut to its column
 * @param content the record itself as text, cut to its column
 */
public record RejectedWrite(long id, Instant at, String nodeId, String callId, String kind, String reason,
                            String content) {
    public RejectedWrite {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(nodeId, "node_id");
        Objects.requireNonNull(callId, "call_id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(content, "content");
    }
}
