package org.icgw.gateway.sip.transport;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import javax.sip.SipStack;

/**
 * JAIN-SIP's plug for transports (stack property {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY},
 * instantiated by class name): makes the gateway's Netty processors for UDP and TCP, on the
 * {@link SipTransport} registered under the stack's name. Other transports are refused.
 */
public final class SipMessageProcessorFactory implements MessageProcessorFactory {

    public SipMessageProcessorFactory() {
        // instantiated by the stack
    }

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
            String transport) throws IOException {
        SipTransport shared;
        try {
            shared = SipTransport.forStack(((SipStack) stack).getStackName());
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
        return switch (transport.toUpperCase(Locale.ROOT)) {
            case "UDP" -> new SipDatagramProcessor(address, port, stack, shared);
            case "TCP" -> new SipStreamProcessor(address, port, stack, shared);
            default -> throw new IllegalArgumentException("SIP transport not supported: " + transport);
        };
    }
}
