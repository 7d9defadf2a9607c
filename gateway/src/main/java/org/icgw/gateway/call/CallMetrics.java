package org.icgw.gateway.call;

import java.time.Duration;
import org.icgw.policy.model.Disposition;

/** What calls report for the operators' metrics; the gateway backs it with Micrometer. */
public interface CallMetrics {
    void callStarted();

    void callEnded(Disposition disposition);

    /** Inmate INVITE to callee answer. */
    void setupTime(Duration setup);

    void digit(CallEvent.DigitMethod method);

    void threeWay(String signal);

    void announcement();

    /** An INVITE sent to a trunk ({@code host:port/transport}). */
    void trunkAttempt(String trunk);

    /** A trunk failed a call: 5xx/6xx, no response in time (408), or the INVITE could not be sent. */
    void trunkFailure(String trunk, int status);

    /** Metrics that count nothing, for tests. */
    CallMetrics NONE = new CallMetrics() {
        @Override
        public void callStarted() {
        }

        @Override
        public void callEnded(Disposition disposition) {
        }

        @Override
        public void setupTime(Duration setup) {
        }

        @Override
        public void digit(CallEvent.DigitMethod method) {
        }

        @Override
        public void threeWay(String signal) {
        }

        @Override
        public void announcement() {
        }

        @Override
        public void trunkAttempt(String trunk) {
        }

        @Override
        public void trunkFailure(String trunk, int status) {
        }
    };
}
