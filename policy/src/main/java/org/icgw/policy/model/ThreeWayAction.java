package org.icgw.policy.model;

/** What the gateway does when it detects a three-way-call attempt. */
public enum ThreeWayAction {
    DISCONNECT,
    WARN,
    LOG
}
