/**
 * Number classification for calling policy: a dialed number, normalised to E.164 with
 * libphonenumber under the facility's dialling rules, becomes a {@link
 * org.icgw.policy.number.ClassifiedNumber} (kind and call class). Entry point: {@link
 * org.icgw.policy.number.NumberClassifier#standard()}.
 */
package org.icgw.policy.number;
