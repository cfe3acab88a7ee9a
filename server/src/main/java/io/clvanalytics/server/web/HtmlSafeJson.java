package io.clvanalytics.server.web;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;

/** JSON string escapes that also write {@code < > & '} as unicode escapes, as Gson does by default. */
public final class HtmlSafeJson extends CharacterEscapes {

    private final int[] escapes;

    public HtmlSafeJson() {
        escapes = standardAsciiEscapesForJSON();
        for (char c : new char[] {'<', '>', '&', '\''}) {
            escapes[c] = ESCAPE_STANDARD;
        }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return null;
    }
}
