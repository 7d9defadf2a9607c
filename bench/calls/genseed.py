#!/usr/bin/env python3
"""Writes the call benchmark's seed and SIPp injection files.

    genseed.py N OUT_DIR

OUT_DIR/seed.yaml     one facility (calls around the clock, no daily limit), N terminals, N active
                      inmates with distinct 6-digit PINs, and per inmate a funded debit account and
                      a funded prepaid account paying for a number of its own (+1 573 2xx xxxx);
OUT_DIR/register.csv  SIPp -inf, one terminal a line: username;[authentication ...] for the terminal
OUT_DIR/calls.csv     SIPp -inf, one call a line: the same two fields;6 PIN digits;10 number digits
(SIPp 3.6.1 re-parses an injected field holding "[authentication username=U password=P]" as the
keyword when it is sent: its documented way to give each call its own credentials.)

Row i of calls.csv is terminal i and inmate i, so concurrent calls never share a terminal, an
inmate or an account. Dialing the shared number SHARED (no account pays for it) charges the
inmate's debit account; dialing the access code and keying the row's own number charges that
number's prepaid account.
"""
import os
import sys

FACILITY = "bj"                    # short ids: the seed reader takes at most 3 MiB of YAML
BALANCE_CENTS = 1_000_000          # $10,000 per account: no bench run can spend it


def pin(i):
    # distinct for i < 900000, never starting with 0 (six digits as keyed)
    return "%06d" % (100000 + (i * 7919) % 900000)


def number(i):
    # +1 573 2NN NNNN: area code 573 (local to the facility), exchanges 200-299
    return "+15732%06d" % i


def auth(i):
    return "[authentication username=bt%05d password=bench-secret-%05d]" % (i, i)


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    if not 1 <= n <= 8000:
        sys.exit("N must be 1..8000 (the seed reader takes at most 3 MiB of YAML)")
    os.makedirs(out, exist_ok=True)
    w = []
    w.append("# Call benchmark seed (bench/calls/genseed.py %d): generated, do not edit." % n)
    w.append("facilities:")
    w.append("  - id: %s" % FACILITY)
    w.append("    name: Bench County Jail")
    w.append("    time_zone: America/Chicago")
    w.append('    calling_hours: "00:00-00:00"')
    w.append("    max_call_minutes: 15")
    w.append("    announcement_interval_seconds: 60")
    w.append('    ani: "+15735550100"')
    w.append("    rate_tier: medium_jail")
    w.append('    digit_map: {accept: "1", refuse: "2", block: "9", rate: "0"}')
    w.append("    lockdown: false")
    w.append("    region: US")
    w.append("    state: MO")
    w.append('    local_prefixes: ["+1573"]')
    w.append('    access_code: "0"')
    w.append("    pin_length: 6")
    w.append("    three_way_action: disconnect")
    w.append("    international_allowed: false")
    w.append("inmates:")
    for i in range(n):
        # status active, language en, calls_per_day 0 (no limit), pan_enforced false: the defaults
        w.append("  - {id: bi%05d, facility_id: %s, name: I%d, pin: \"%s\"}" % (i, FACILITY, i, pin(i)))
    w.append("terminals:")
    for i in range(n):
        w.append("  - {id: bt%05d, facility_id: %s, sip_username: bt%05d, sip_password: bench-secret-%05d}"
                 % (i, FACILITY, i, i))
    w.append("accounts:")
    for i in range(n):
        w.append("  - {id: bd%05d, type: debit, owner_name: I%d, inmate_id: bi%05d, opening_balance_cents: %d}"
                 % (i, i, i, BALANCE_CENTS))
        w.append("  - {id: bp%05d, type: prepaid, owner_name: F%d, billing_numbers: [\"%s\"], opening_balance_cents: %d}"
                 % (i, i, number(i), BALANCE_CENTS))
    w.append("rates:")
    for cls in ("local", "intrastate", "interstate"):
        w.append("  - {facility_id: %s, call_class: %s, cents_per_minute: 5, increment_seconds: 60}" % (FACILITY, cls))
    with open(os.path.join(out, "seed.yaml"), "w") as f:
        f.write("\n".join(w) + "\n")
    with open(os.path.join(out, "register.csv"), "w") as f:
        f.write("SEQUENTIAL\n")
        for i in range(n):
            f.write("bt%05d;%s\n" % (i, auth(i)))
    with open(os.path.join(out, "calls.csv"), "w") as f:
        f.write("SEQUENTIAL\n")
        for i in range(n):
            f.write("bt%05d;%s;%s;%s\n" % (i, auth(i), ";".join(pin(i)), ";".join(number(i)[2:])))


if __name__ == "__main__":
    main()
