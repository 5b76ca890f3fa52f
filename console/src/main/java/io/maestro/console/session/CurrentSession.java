package io.maestro.console.session;

import jakarta.enterprise.context.RequestScoped;

/** The signed-in session of this request, set by {@link SessionFilter} before any page runs. */
@RequestScoped
public class CurrentSession {
    private ConsoleSession session;

    void set(ConsoleSession session) {
        this.session = session;
    }

    /** The session; every page but the sign-in page runs only with one. */
    public ConsoleSession get() {
        if (session == null) {
            throw new IllegalStateException("no session: the request passed no SessionFilter");
        }
        return session;
    }
}
