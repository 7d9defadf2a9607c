package org.icgw.gateway.call;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of one inmate call, from the terminal's INVITE to the last settlement.
 *
 * <pre>
 *  NEW ──► PIN_ENTRY ──► NUMBER_ENTRY ──► DECIDING ──► DIALING ──► CALLEE_MENU ──► BRIDGED
 *   │          │  └──────────────────────────►│            │             │             │
 *   │          │                               │            │             │             │
 *   │          └──────────► CLOSING ◄──────────┴────────────┴─────────────┴─────────────┘
 *   │                          │     (a prompt to whoever is still there, then BYE)
 *   └──────────────────────────┴──► ENDED ◄── (any state, when nobody is left to hear a prompt)
 * </pre>
 *
 * The allowed transitions are declared once, in {@link #NEXT}, and checked on every change.
 */
public enum CallState {
    NEW,
    PIN_ENTRY,
    NUMBER_ENTRY,
    DECIDING,
    DIALING,
    CALLEE_MENU,
    BRIDGED,
    CLOSING,
    ENDED;

    /** Where each state may go next. */
    static final Map<CallState, Set<CallState>> NEXT = new EnumMap<>(CallState.class);

    static {
        NEXT.put(NEW, EnumSet.of(PIN_ENTRY, ENDED));
        NEXT.put(PIN_ENTRY, EnumSet.of(NUMBER_ENTRY, DECIDING, CLOSING, ENDED));
        NEXT.put(NUMBER_ENTRY, EnumSet.of(DECIDING, CLOSING, ENDED));
        NEXT.put(DECIDING, EnumSet.of(DIALING, CLOSING, ENDED));
        NEXT.put(DIALING, EnumSet.of(CALLEE_MENU, CLOSING, ENDED));
        NEXT.put(CALLEE_MENU, EnumSet.of(BRIDGED, CLOSING, ENDED));
        NEXT.put(BRIDGED, EnumSet.of(CLOSING, ENDED));
        NEXT.put(CLOSING, EnumSet.of(ENDED));
        NEXT.put(ENDED, EnumSet.noneOf(CallState.class));
    }

    /** Whether a call in this state may move to {@code next}. */
    public boolean canMoveTo(CallState next) {
        return NEXT.get(this).contains(next);
    }
}
