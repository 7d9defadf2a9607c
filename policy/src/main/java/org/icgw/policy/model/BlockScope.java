package org.icgw.policy.model;

/** Whether a block applies to one facility or to every facility. */
public enum BlockScope {
    FACILITY,
    ALL
}
