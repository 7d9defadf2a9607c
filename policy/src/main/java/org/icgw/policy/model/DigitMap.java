package org.icgw.policy.model;

/**
 * The digits of the callee's menu (contract, call flow step 8).
 *
 * @param accept accept the call (default {@code 1})
 * @param refuse refuse it ({@code 2})
 * @param block  refuse and block further calls from this facility ({@code 9})
 * @param rate   hear the per-minute rate and the menu again ({@code 0})
 */
public record DigitMap(char accept, char refuse, char block, char rate) {
    public static final DigitMap DEFAULT = new DigitMap('1', '2', '9', '0');

    public DigitMap {
        String all = "" + accept + refuse + block + rate;
        if (all.chars().distinct().count() != 4 || !all.chars().allMatch(c -> "0123456789*#".indexOf(c) >= 0)) {
            throw new IllegalArgumentException("menu digits must be four different keypad keys, got '" + all + "'");
        }
    }
}
