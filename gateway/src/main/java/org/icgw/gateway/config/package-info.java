/**
 * The gateway's configuration file: {@link org.icgw.gateway.config.ConfigLoader} maps one YAML file
 * key by key onto the {@link org.icgw.gateway.GatewayConfig} record tree, strictly (an unknown key
 * is an error), with durations ({@link org.icgw.gateway.config.Durations}) and secrets from the
 * environment or files; every mistake is a {@link org.icgw.gateway.config.ConfigException} naming
 * the key. {@code deploy/icgw.yaml} documents every key and its default.
 */
package org.icgw.gateway.config;
