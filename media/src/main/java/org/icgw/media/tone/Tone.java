package org.icgw.media.tone;

/** Call-progress tones the detectors in this package recognise. */
public enum Tone {
    /** North American precise dial tone: 350 Hz + 440 Hz, continuous (ANSI T1.401). */
    DIAL
}
