package io.procactor.bypackage;

/** A package of message classes, registered as a whole by {@code RegistrationByPackageTest}. */
public final class Messages {
    private Messages() {
    }

    public record Beta(int n) {
    }

    public record Alpha(String s) {
    }
}
