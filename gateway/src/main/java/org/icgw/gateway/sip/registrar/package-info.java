/**
 * The registrar: {@link org.icgw.gateway.sip.registrar.Registrar} handles REGISTER,
 * {@link org.icgw.gateway.sip.registrar.Authenticator} checks digest credentials (MD5 and SHA-256,
 * stateless HMAC nonces, nonce-count replay check) for any request, and
 * {@link org.icgw.gateway.sip.registrar.Registrations} keeps the bindings. Terminals' credentials
 * come through {@link org.icgw.gateway.sip.registrar.TerminalDirectory}.
 */
package org.icgw.gateway.sip.registrar;
