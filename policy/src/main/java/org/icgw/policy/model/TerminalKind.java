package org.icgw.policy.model;

/** What kind of device a terminal is. */
public enum TerminalKind {
    PHONE,
    TABLET
}
