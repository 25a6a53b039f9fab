package com.example.words;

import io.procactor.Actor;

/** Replies with the number of words in each line it is given. Runs in a child JVM. */
public final class WordCounter extends Actor {
    @Override
    protected void onReceive(Object message) {
        if (message instanceof String line) {
            String trimmed = line.trim();
            reply(trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length);
        } else {
            unhandled(message);
        }
    }
}
