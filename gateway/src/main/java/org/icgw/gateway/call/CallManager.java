package org.icgw.gateway.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.icgw.policy.store.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each call on its own virtual thread and knows the calls in progress: for the admin
 * API's list and cut-off, for the active-calls gauge, and for draining at shutdown.
 */
public final class CallManager {
    private static final Logger LOG = LoggerFactory.getLogger(CallManager.class);

    /** How often settlements and CDRs kept while the store was unreachable are retried. */
    static final Duration STORE_RETRY = Duration.ofSeconds(2);

    private final CallServices services;
    private final DeferredWrites deferred;
    private final Map<String, Call> active = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;

    /** A manager whose writes may wait {@link StoreConfig#DEFAULT_MAX_WRITE_WAIT} before {@code /readyz} says so. */
    public CallManager(CallServices services) {
        this(services, StoreConfig.DEFAULT_MAX_WRITE_WAIT);
    }

    /**
     * @param maxWriteWait how long a CDR or settlement may wait for the store before
     *                     {@link #storeWritesStalled} reports it ({@code store.max_write_wait})
     */
    public CallManager(CallServices services, Duration maxWriteWait) {
        this(services, new DeferredWrites(STORE_RETRY, maxWriteWait, (write, reason) -> services.store().setAside(
                write.callId(), write.kind(), reason, write.content(), services.clock().instant())));
    }

    /** A manager over writes set up by the caller (tests: another retry interval). */
    public CallManager(CallServices services, DeferredWrites writes) {
        this.services = services;
        this.deferred = writes;
    }

    /** Store writes of ended calls still waiting for the store to answer. */
    public int pendingStoreWrites() {
        return deferred.pending();
    }

    /** The ended calls' CDRs and settlements, written now or kept for the store. */
    public DeferredWrites storeWrites() {
        return deferred;
    }

    /** Why the gateway is not ready when a store write has waited too long ({@link DeferredWrites#stalled}). */
    public Optional<String> storeWritesStalled() {
        return deferred.stalled();
    }

    /**
     * Starts a call for an authenticated inmate INVITE.
     *
     * @return the call, whose {@link Call#post} takes the legs' events
     */
    public Call start(InmateLeg inmate, TrunkLeg trunk) {
        String id = UUID.randomUUID().toString();
        Call call = new Call(id, inmate, trunk, services, deferred);
        active.put(id, call);
        Thread.ofVirtual().name("call-" + id).start(() -> {
            try {
                call.run();
            } finally {
                active.remove(id);
            }
        });
        return call;
    }

    /** Whether new calls are taken (false once shutdown began). */
    public boolean accepting() {
        return accepting;
    }

    public Collection<Call> active() {
        return List.copyOf(active.values());
    }

    public Optional<Call> find(String callId) {
        return Optional.ofNullable(active.get(callId));
    }

    /** Cuts a call off for an investigator; false when no such call is in progress. */
    public boolean cutOff(String callId, String by) {
        Call call = active.get(callId);
        if (call == null) {
            return false;
        }
        call.post(new CallEvent.InvestigatorCutoff(by));
        return true;
    }

    /**
     * Stops taking calls, lets those in progress run up to {@code drain}, then ends the rest and
     * waits (bounded) for them to settle.
     */
    public void shutdown(Duration drain) {
        accepting = false;
        LOG.info("draining: new calls are refused; {} in progress may run on up to {}", active.size(), drain);
        Instant giveUp = Instant.now().plus(drain);
        while (!active.isEmpty() && Instant.now().isBefore(giveUp)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        if (!active.isEmpty()) {
            LOG.info("ending {} calls still in progress", active.size());
            active.values().forEach(c -> c.post(new CallEvent.Shutdown()));
        }
        Instant settled = Instant.now().plusSeconds(15);
        while (!active.isEmpty() && Instant.now().isBefore(settled)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        deferred.close();
    }
}
