package io.maestro.support.auth;

import jakarta.enterprise.context.RequestScoped;

/**
 * The caller of the request being served, set by {@link AccessFilter} once its token is verified and its scope
 * checked. Resources read the {@link #subject()} to record who did what ({@code actor}), and check a name from the
 * body with {@link #requireName(String)}.
 */
@RequestScoped
public class CurrentCaller {
    private Caller caller;
    private String scope;
    private String nameKind;

    void set(Caller caller, String scope, String nameKind) {
        this.caller = caller;
        this.scope = scope;
        this.nameKind = nameKind;
    }

    public Caller caller() {
        if (caller == null) {
            throw new IllegalStateException("no caller: the operation has no @RequiresScope or is not under /v1");
        }
        return caller;
    }

    /** The token's subject: the {@code actor} of whatever this request changes. */
    public String subject() {
        return caller().subject();
    }

    /**
     * For an operation whose name is in the body ({@link RequiresScope#nameInBody()}): 403 unless the token's scope
     * allows this name.
     */
    public void requireName(String name) {
        if (!caller().allows(scope, name)) {
            throw AccessProblems.missingScope(caller, scope, nameKind, name);
        }
    }
}
