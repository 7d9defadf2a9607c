package org.icgw.gateway.admin;

/**
 * A request refused before it was read whole (too large a head or body): passed up the pipeline
 * in its place, answered in turn with {@code problem}, after which the connection closes.
 *
 * @param problem what to answer
 * @param reason  the security event's detail: fixed text, nothing from the request
 */
record Refusal(Problem problem, String reason) {
}
