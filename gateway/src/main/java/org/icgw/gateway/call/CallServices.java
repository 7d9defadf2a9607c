package org.icgw.gateway.call;

import java.time.Clock;
import org.icgw.media.MediaEngine;
import org.icgw.media.announce.PromptLibrary;
import org.icgw.policy.decision.PolicyEngine;
import org.icgw.policy.store.PolicyStore;

/** What every call uses: the policy, the store, the media plane, the prompts and the clock. */
public record CallServices(PolicyEngine policy, PolicyStore store, MediaEngine media, PromptLibrary prompts,
                           CallSettings settings, CallMetrics metrics, Clock clock) {
}
